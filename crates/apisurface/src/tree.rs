//! [`TypeTree`]: a parsed type string stored flat, borrowing its text from the input.
//!
//! [`crate::parse_type`] builds its owned [`GoType`] from this tree. Callers that only need to
//! look at a type (walk it, find channels, read names) can use the tree directly: parsing it
//! costs one allocation however large the type is, and every node's text is a slice of the input
//! because the input is canonical (each sub-type's go/types string is exactly its span).
//!
//! Layout: 16-byte nodes in pre-order in one `Vec`; each node records its kind, its byte span,
//! a qualified name's offset, and the size of its subtree, so the next sibling of node `i` is
//! node `i + size`.

use crate::ast::{
    ChanDir, GoType, InterfaceElem, Name, ParamDecl, Signature, StructField, Term, TypeName,
    TypeParamGroup, UntypedKind,
};
use crate::parse::{ParseError, parse_into};
use std::fmt;

/// Node kinds as stored (`Raw::kind`); [`NodeKind`] is the public view.
pub(crate) mod raw {
    pub const NAMED: u8 = 0;
    pub const UNTYPED: u8 = 1;
    pub const POINTER: u8 = 2;
    pub const SLICE: u8 = 3;
    pub const ARRAY: u8 = 4;
    pub const MAP: u8 = 5;
    pub const CHAN: u8 = 6;
    pub const FUNC: u8 = 7;
    pub const STRUCT: u8 = 8;
    pub const INTERFACE: u8 = 9;
    pub const UNION: u8 = 10;
    pub const VARIADIC: u8 = 11;
    pub const TYPE_PARAMS: u8 = 12;
    pub const PARAM: u8 = 13;
    pub const RESULT: u8 = 14;
    pub const FIELD: u8 = 15;
    pub const METHOD: u8 = 16;
    pub const TERM: u8 = 17;

    /// `Raw::flag` of a `FIELD` with a tag.
    pub const HAS_TAG: u8 = 1;
}

/// One stored node (16 bytes). `start..end` is the node's text; `size` counts the subtree's
/// nodes (itself included); `flag` holds the channel direction, untyped kind, tilde or tag bit;
/// `aux` is a `NAMED` node's name offset from `start` (0 when unqualified; import paths are at
/// most 1024 bytes). Other names are implied by the text: a parameter, result or field is named
/// when its type child starts after it (the name ends one space before), a method's name ends at
/// its `(`, a type-parameter group's names end one space before its constraint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Raw {
    pub kind: u8,
    pub flag: u8,
    pub aux: u16,
    pub start: u32,
    pub end: u32,
    pub size: u32,
}

/// A type string parsed into a flat tree that borrows the input.
///
/// Accepts exactly what [`crate::parse_type`] accepts, with the same errors; [`Node`]s give
/// read access, [`TypeTree::to_go_type`] the owned tree.
///
/// ```
/// use apisurface::{NodeKind, TypeTree};
/// let tree = TypeTree::parse("func(ctx context.Context) <-chan int").unwrap();
/// let root = tree.root();
/// assert_eq!(root.kind(), NodeKind::Func);
/// let result = root.children().last().unwrap();
/// assert_eq!(result.kind(), NodeKind::Result);
/// assert_eq!(result.child(0).unwrap().text(), "<-chan int");
/// assert!(root.descendants().any(|n| matches!(n.kind(), NodeKind::Chan(_))));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct TypeTree<'s> {
    src: &'s str,
    nodes: Vec<Raw>,
}

impl<'s> TypeTree<'s> {
    /// Parses a go/types type string (see [`crate::parse_type`] for the grammar and limits).
    pub fn parse(src: &'s str) -> Result<TypeTree<'s>, ParseError> {
        let mut nodes = Vec::new();
        parse_into(src, &mut nodes)?;
        Ok(TypeTree { src, nodes })
    }

    /// The parsed string.
    pub fn as_str(&self) -> &'s str {
        self.src
    }

    /// The root node: the whole type.
    pub fn root(&self) -> Node<'_> {
        Node {
            src: self.src,
            nodes: &self.nodes,
            i: 0,
        }
    }

    /// Number of nodes (at least one).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The owned [`GoType`] of the whole string (what [`crate::parse_type`] returns).
    pub fn to_go_type(&self) -> GoType {
        to_go(self.root())
    }
}

impl fmt::Display for TypeTree<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.src)
    }
}

impl fmt::Debug for TypeTree<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TypeTree").field(&self.root()).finish()
    }
}

/// What a [`Node`] is. Type nodes (see [`NodeKind::is_type`]) correspond one to one to
/// [`GoType`] variants; the others are the parts of signatures, structs, interfaces and unions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NodeKind {
    /// A type name ([`Node::package`], [`Node::name`]); children: its type arguments.
    Named,
    /// `untyped int`, ...; no children.
    Untyped(UntypedKind),
    /// `*T`; child: `T`.
    Pointer,
    /// `[]T`; child: `T`.
    Slice,
    /// `[N]T` ([`Node::array_len`]); child: `T`.
    Array,
    /// `map[K]V`; children: `K`, `V`.
    Map,
    /// A channel; child: the element type.
    Chan(ChanDir),
    /// `func...`; children: [`NodeKind::TypeParams`] groups, then [`NodeKind::Param`]s, then
    /// [`NodeKind::Result`]s.
    Func,
    /// `struct{...}`; children: [`NodeKind::Field`]s.
    Struct,
    /// `interface{...}`; children in printed order: [`NodeKind::Method`]s and embedded types
    /// (type nodes, including unions).
    Interface,
    /// `~int | ~string`; children: [`NodeKind::Term`]s.
    Union,
    /// `...T`; child: `T`.
    Variadic,
    /// One group of type parameters sharing a constraint ([`Node::type_param_names`]); child:
    /// the constraint.
    TypeParams,
    /// A parameter ([`Node::name`] when named); child: its type (a [`NodeKind::Variadic`] for
    /// the variadic last parameter).
    Param,
    /// A result ([`Node::name`] when named); child: its type.
    Result,
    /// A struct field ([`Node::name`] unless embedded, [`Node::tag`]); child: its type.
    Field,
    /// An interface method ([`Node::name`]); children like [`NodeKind::Func`] (no type
    /// parameters).
    Method,
    /// A union term; child: its type.
    Term {
        /// True for `~T`.
        tilde: bool,
    },
}

impl NodeKind {
    /// True for nodes that are types (convertible with [`Node::to_go_type`]).
    pub fn is_type(self) -> bool {
        !matches!(
            self,
            NodeKind::TypeParams
                | NodeKind::Param
                | NodeKind::Result
                | NodeKind::Field
                | NodeKind::Method
                | NodeKind::Term { .. }
        )
    }
}

/// A node of a [`TypeTree`]: cheap to copy, borrows the tree.
#[derive(Clone, Copy)]
pub struct Node<'t> {
    src: &'t str,
    nodes: &'t [Raw],
    i: usize,
}

impl<'t> Node<'t> {
    #[inline]
    fn raw(&self) -> &'t Raw {
        &self.nodes[self.i]
    }

    /// What this node is.
    pub fn kind(&self) -> NodeKind {
        let r = self.raw();
        match r.kind {
            raw::NAMED => NodeKind::Named,
            raw::UNTYPED => NodeKind::Untyped(UntypedKind::ALL[r.flag as usize]),
            raw::POINTER => NodeKind::Pointer,
            raw::SLICE => NodeKind::Slice,
            raw::ARRAY => NodeKind::Array,
            raw::MAP => NodeKind::Map,
            raw::CHAN => NodeKind::Chan(chan_dir(r.flag)),
            raw::FUNC => NodeKind::Func,
            raw::STRUCT => NodeKind::Struct,
            raw::INTERFACE => NodeKind::Interface,
            raw::UNION => NodeKind::Union,
            raw::VARIADIC => NodeKind::Variadic,
            raw::TYPE_PARAMS => NodeKind::TypeParams,
            raw::PARAM => NodeKind::Param,
            raw::RESULT => NodeKind::Result,
            raw::FIELD => NodeKind::Field,
            raw::METHOD => NodeKind::Method,
            _ => NodeKind::Term { tilde: r.flag != 0 },
        }
    }

    /// The node's text. For a type node this is its canonical go/types string; for a parameter,
    /// field, method, group or term it is that element as printed (`ctx context.Context`).
    pub fn text(&self) -> &'t str {
        let r = self.raw();
        &self.src[r.start as usize..r.end as usize]
    }

    /// Byte offset of the node's text in the parsed string.
    pub fn offset(&self) -> usize {
        self.raw().start as usize
    }

    /// The identifier of a [`NodeKind::Named`] node, or the name of a named parameter, result,
    /// field or method; `None` otherwise (and for unnamed or embedded ones).
    pub fn name(&self) -> Option<&'t str> {
        let r = self.raw();
        let start = r.start as usize;
        match r.kind {
            raw::NAMED => {
                let end = if r.size > 1 {
                    // `Name[args]`: the first type argument starts after `[`.
                    self.nodes[self.i + 1].start as usize - 1
                } else {
                    r.end as usize
                };
                Some(&self.src[start + r.aux as usize..end])
            }
            raw::PARAM | raw::RESULT | raw::FIELD => {
                let ty = self.nodes[self.i + 1].start as usize;
                (ty > start).then(|| &self.src[start..ty - 1])
            }
            raw::METHOD => {
                let text = self.text();
                text.find('(').map(|at| &text[..at])
            }
            _ => None,
        }
    }

    /// The import path of a qualified [`NodeKind::Named`] node (`net/http` of
    /// `net/http.Request`); `None` otherwise.
    pub fn package(&self) -> Option<&'t str> {
        let r = self.raw();
        (r.kind == raw::NAMED && r.aux > 0)
            .then(|| &self.src[r.start as usize..r.start as usize + r.aux as usize - 1])
    }

    /// The tag of a [`NodeKind::Field`], as printed (a quoted Go string literal).
    pub fn tag(&self) -> Option<&'t str> {
        let r = self.raw();
        if r.kind != raw::FIELD || r.flag & raw::HAS_TAG == 0 {
            return None;
        }
        let ty = &self.nodes[self.i + 1];
        Some(&self.src[ty.end as usize + 1..r.end as usize])
    }

    /// The length of a [`NodeKind::Array`].
    pub fn array_len(&self) -> Option<u64> {
        let r = self.raw();
        if r.kind != raw::ARRAY {
            return None;
        }
        let elem = &self.nodes[self.i + 1];
        // The parser checked the digits fit in 64 bits.
        self.src[r.start as usize + 1..elem.start as usize - 1]
            .parse()
            .ok()
    }

    /// The names of a [`NodeKind::TypeParams`] group (`K`, `V` of `K, V any`); empty for other
    /// nodes.
    pub fn type_param_names(&self) -> impl Iterator<Item = &'t str> + 't {
        let r = self.raw();
        let names = if r.kind == raw::TYPE_PARAMS {
            let constraint = self.nodes[self.i + 1].start as usize;
            &self.src[r.start as usize..constraint - 1]
        } else {
            ""
        };
        names.split(", ").filter(|s| !s.is_empty())
    }

    /// The direct children, in printed order.
    pub fn children(&self) -> Children<'t> {
        let r = self.raw();
        Children {
            src: self.src,
            nodes: self.nodes,
            next: self.i + 1,
            end: self.i + r.size as usize,
        }
    }

    /// The `n`th direct child.
    pub fn child(&self, n: usize) -> Option<Node<'t>> {
        self.children().nth(n)
    }

    /// This node and every node below it, in pre-order (the stored order).
    pub fn descendants(&self) -> impl Iterator<Item = Node<'t>> + 't {
        let (src, nodes) = (self.src, self.nodes);
        (self.i..self.i + self.raw().size as usize).map(move |i| Node { src, nodes, i })
    }

    /// The owned [`GoType`] of a type node; `None` for the other kinds.
    pub fn to_go_type(&self) -> Option<GoType> {
        self.kind().is_type().then(|| to_go(*self))
    }
}

impl fmt::Display for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} {:?}", self.kind(), self.text())?;
        if self.raw().size > 1 {
            f.debug_list().entries(self.children()).finish()?;
        }
        Ok(())
    }
}

/// The direct children of a [`Node`] ([`Node::children`]).
#[derive(Clone)]
pub struct Children<'t> {
    src: &'t str,
    nodes: &'t [Raw],
    next: usize,
    end: usize,
}

impl<'t> Iterator for Children<'t> {
    type Item = Node<'t>;

    #[inline]
    fn next(&mut self) -> Option<Node<'t>> {
        if self.next >= self.end {
            return None;
        }
        let i = self.next;
        self.next += self.nodes[i].size as usize;
        Some(Node {
            src: self.src,
            nodes: self.nodes,
            i,
        })
    }
}

fn chan_dir(flag: u8) -> ChanDir {
    match flag {
        1 => ChanDir::Send,
        2 => ChanDir::Recv,
        _ => ChanDir::Both,
    }
}

/// The `Raw::flag` of a channel direction (inverse of [`chan_dir`]).
pub(crate) fn chan_flag(dir: ChanDir) -> u8 {
    match dir {
        ChanDir::Both => 0,
        ChanDir::Send => 1,
        ChanDir::Recv => 2,
    }
}

/// The owned [`GoType`] of a whole parsed node list (root at index 0).
pub(crate) fn build_go_type(src: &str, nodes: &[Raw]) -> GoType {
    to_go(Node { src, nodes, i: 0 })
}

/// The first child of `n` (the parser always creates it for the kinds this is used on).
#[inline]
fn first(n: Node<'_>) -> Node<'_> {
    Node { i: n.i + 1, ..n }
}

fn boxed(n: Node<'_>) -> Box<GoType> {
    Box::new(to_go(n))
}

/// Converts each direct child of `n` with `f`, into a vector of exactly that length.
fn list<'t, T>(n: Node<'t>, f: impl FnMut(Node<'t>) -> T) -> Vec<T> {
    let mut out = Vec::with_capacity(n.children().count());
    out.extend(n.children().map(f));
    out
}

/// The owned tree of type node `n`.
fn to_go(n: Node<'_>) -> GoType {
    let r = n.raw();
    match r.kind {
        raw::NAMED => GoType::Named(TypeName {
            package: n.package().map(Name::new),
            name: Name::new(n.name().unwrap_or_default()),
            type_args: if r.size > 1 {
                list(n, to_go)
            } else {
                Vec::new()
            },
        }),
        raw::UNTYPED => GoType::Untyped(UntypedKind::ALL[r.flag as usize]),
        raw::POINTER => GoType::Pointer(boxed(first(n))),
        raw::SLICE => GoType::Slice(boxed(first(n))),
        raw::ARRAY => GoType::Array {
            len: n.array_len().unwrap_or_default(),
            elem: boxed(first(n)),
        },
        raw::MAP => {
            let key = first(n);
            let value = Node {
                i: key.i + key.raw().size as usize,
                ..n
            };
            GoType::Map {
                key: boxed(key),
                value: boxed(value),
            }
        }
        raw::CHAN => GoType::Chan {
            dir: chan_dir(r.flag),
            elem: boxed(first(n)),
        },
        raw::FUNC => GoType::Func(signature(n)),
        raw::STRUCT => GoType::Struct(list(n, |f| StructField {
            name: f.name().map(Name::new),
            ty: to_go(first(f)),
            tag: f.tag().map(str::to_string),
        })),
        raw::INTERFACE => GoType::Interface(list(n, |e| {
            if e.raw().kind == raw::METHOD {
                InterfaceElem::Method {
                    name: Name::new(e.name().unwrap_or_default()),
                    sig: signature(e),
                }
            } else {
                InterfaceElem::Embedded(to_go(e))
            }
        })),
        raw::UNION => GoType::Union(list(n, |t| Term {
            tilde: t.raw().flag != 0,
            ty: to_go(first(t)),
        })),
        // VARIADIC; the other kinds never reach here (see `Node::to_go_type`).
        _ => GoType::Variadic(boxed(first(n))),
    }
}

/// The signature of a `FUNC` or `METHOD` node.
fn signature(n: Node<'_>) -> Signature {
    let (mut groups, mut params, mut results) = (0, 0, 0);
    for c in n.children() {
        match c.raw().kind {
            raw::TYPE_PARAMS => groups += 1,
            raw::PARAM => params += 1,
            _ => results += 1,
        }
    }
    let mut sig = Signature {
        type_params: Vec::with_capacity(groups),
        params: Vec::with_capacity(params),
        results: Vec::with_capacity(results),
    };
    for c in n.children() {
        let kind = c.raw().kind;
        if kind == raw::TYPE_PARAMS {
            sig.type_params.push(TypeParamGroup {
                names: c.type_param_names().map(Name::new).collect(),
                constraint: to_go(first(c)),
            });
            continue;
        }
        let p = ParamDecl {
            name: c.name().map(Name::new),
            ty: to_go(first(c)),
        };
        if kind == raw::PARAM {
            sig.params.push(p);
        } else {
            sig.results.push(p);
        }
    }
    sig
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(t: &TypeTree<'_>) -> Vec<NodeKind> {
        t.root().descendants().map(|n| n.kind()).collect()
    }

    #[test]
    fn every_node_text_is_its_canonical_string() {
        let s = "func[K comparable, V any](m map[K]V, f ...func(K) bool) (n int, err error)";
        let t = TypeTree::parse(s).unwrap();
        assert_eq!(t.root().text(), s);
        for n in t.root().descendants().filter(|n| n.kind().is_type()) {
            let owned = n.to_go_type().unwrap();
            assert_eq!(owned.to_string(), n.text(), "{n:?}");
        }
        let groups: Vec<Vec<&str>> = t
            .root()
            .children()
            .filter(|c| c.kind() == NodeKind::TypeParams)
            .map(|g| g.type_param_names().collect())
            .collect();
        assert_eq!(groups, [vec!["K"], vec!["V"]]);
        assert_eq!(t.to_go_type(), crate::parse_type(s).unwrap());
    }

    #[test]
    fn names_packages_tags_and_lengths() {
        let s = "struct{A [4]gopkg.in/yaml.v3.Node \"json:\\\"a\\\"\"; *io.Reader}";
        let t = TypeTree::parse(s).unwrap();
        let fields: Vec<Node<'_>> = t.root().children().collect();
        assert_eq!(fields[0].name(), Some("A"));
        assert_eq!(fields[0].tag(), Some("\"json:\\\"a\\\"\""));
        let arr = fields[0].child(0).unwrap();
        assert_eq!(arr.array_len(), Some(4));
        let named = arr.child(0).unwrap();
        assert_eq!(named.package(), Some("gopkg.in/yaml.v3"));
        assert_eq!(named.name(), Some("Node"));
        assert_eq!(fields[1].name(), None);
        assert_eq!(fields[1].tag(), None);
        assert_eq!(fields[1].text(), "*io.Reader");
        assert_eq!(
            kinds(&t),
            [
                NodeKind::Struct,
                NodeKind::Field,
                NodeKind::Array,
                NodeKind::Named,
                NodeKind::Field,
                NodeKind::Pointer,
                NodeKind::Named
            ]
        );
        assert_eq!(t.root().name(), None);
        assert_eq!(t.root().array_len(), None);
    }

    #[test]
    fn unions_terms_channels_and_untyped() {
        let t = TypeTree::parse("int | ~string").unwrap();
        assert_eq!(
            kinds(&t),
            [
                NodeKind::Union,
                NodeKind::Term { tilde: false },
                NodeKind::Named,
                NodeKind::Term { tilde: true },
                NodeKind::Named
            ]
        );
        let terms: Vec<&str> = t.root().children().map(|c| c.text()).collect();
        assert_eq!(terms, ["int", "~string"]);
        let t = TypeTree::parse("~int").unwrap();
        assert_eq!(t.root().kind(), NodeKind::Union);
        let t = TypeTree::parse("chan (<-chan untyped nil)").unwrap();
        assert_eq!(
            kinds(&t),
            [
                NodeKind::Chan(ChanDir::Both),
                NodeKind::Chan(ChanDir::Recv),
                NodeKind::Untyped(UntypedKind::Nil)
            ]
        );
        let t = TypeTree::parse("interface{M(x int) (y T); ~int | ~uint}").unwrap();
        let elems: Vec<NodeKind> = t.root().children().map(|c| c.kind()).collect();
        assert_eq!(elems, [NodeKind::Method, NodeKind::Union]);
        let m = t.root().child(0).unwrap();
        assert_eq!(m.name(), Some("M"));
        let parts: Vec<(NodeKind, Option<&str>)> =
            m.children().map(|c| (c.kind(), c.name())).collect();
        assert_eq!(
            parts,
            [(NodeKind::Param, Some("x")), (NodeKind::Result, Some("y"))]
        );
        assert!(m.to_go_type().is_none());
    }

    #[test]
    fn errors_carry_offsets() {
        for (s, at) in [
            ("chan (chan int)", 5),
            ("func() (int)", 7),
            ("", 0),
            ("map[", 4),
        ] {
            assert_eq!(TypeTree::parse(s).unwrap_err().offset, at, "{s}");
        }
    }
}

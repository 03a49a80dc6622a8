//! Import graphs: who imports whom, for the shortest chain that reaches a banned package.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// A directed import graph: import path → the import paths it imports directly.
///
/// Neighbours are kept sorted, so every search over it is deterministic. `go-ingest` (or
/// `go list -deps -json`) provides the edges; JSON form is an object of arrays,
/// `{"a": ["b", "c"], "b": ["c"]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ImportGraph {
    edges: BTreeMap<String, BTreeSet<String>>,
}

impl ImportGraph {
    /// An empty graph.
    pub fn new() -> ImportGraph {
        ImportGraph::default()
    }

    /// Records that `package` imports each of `imports` (adds to what is already known).
    pub fn add_imports<I, S>(&mut self, package: impl Into<String>, imports: I) -> &mut ImportGraph
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let set = self.edges.entry(package.into()).or_default();
        set.extend(imports.into_iter().map(Into::into));
        self
    }

    /// The direct imports of `package`, sorted (empty when unknown).
    pub fn imports(&self, package: &str) -> impl Iterator<Item = &str> {
        self.edges
            .get(package)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    /// Number of packages with recorded imports.
    pub fn len(&self) -> usize {
        self.edges.len()
    }

    /// True when no edge is recorded.
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    /// The shortest import chain from `from` to every package it reaches (not `from` itself),
    /// each chain starting with `from` and ending with the reached package.
    ///
    /// Breadth-first with sorted neighbours: among chains of equal length, the one that is
    /// smallest element by element (byte order) is returned. Cycles are fine.
    pub fn shortest_chains(&self, from: &str) -> BTreeMap<String, Vec<String>> {
        // parent[x] = the node x was first reached from.
        let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue: VecDeque<&str> = VecDeque::new();
        let mut order: Vec<&str> = Vec::new();
        let Some((root, _)) = self.edges.get_key_value(from) else {
            return BTreeMap::new();
        };
        let root = root.as_str();
        queue.push_back(root);
        while let Some(node) = queue.pop_front() {
            for next in self.imports(node) {
                if next == root || parent.contains_key(next) {
                    continue;
                }
                parent.insert(next, node);
                order.push(next);
                queue.push_back(next);
            }
        }
        let mut chains: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for reached in order {
            // Parents are reached before children, so the parent's chain already exists.
            let p = parent[reached];
            let mut chain = if p == root {
                vec![root.to_string()]
            } else {
                chains.get(p).cloned().unwrap_or_default()
            };
            chain.push(reached.to_string());
            chains.insert(reached.to_string(), chain);
        }
        chains
    }

    /// The shortest chain from `from` to `to` (see [`ImportGraph::shortest_chains`]).
    pub fn shortest_chain(&self, from: &str, to: &str) -> Option<Vec<String>> {
        self.shortest_chains(from).remove(to)
    }
}

impl<K: Into<String>, V: IntoIterator<Item = S>, S: Into<String>> FromIterator<(K, V)>
    for ImportGraph
{
    fn from_iter<T: IntoIterator<Item = (K, V)>>(iter: T) -> ImportGraph {
        let mut g = ImportGraph::new();
        for (k, v) in iter {
            g.add_imports(k, v);
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> ImportGraph {
        // app -> {b, a}; a -> x; b -> x; x -> reflect; app -> c -> d -> reflect; x -> app (cycle)
        [
            ("app", vec!["b", "a", "c"]),
            ("a", vec!["x"]),
            ("b", vec!["x"]),
            ("c", vec!["d"]),
            ("d", vec!["reflect"]),
            ("x", vec!["reflect", "app"]),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn shortest_chain_prefers_smallest_equal_length_path() {
        let g = graph();
        assert_eq!(
            g.shortest_chain("app", "reflect").unwrap(),
            ["app", "a", "x", "reflect"]
        );
        assert_eq!(g.shortest_chain("app", "x").unwrap(), ["app", "a", "x"]);
        assert_eq!(g.shortest_chain("app", "a").unwrap(), ["app", "a"]);
        assert_eq!(g.shortest_chain("x", "d").unwrap(), ["x", "app", "c", "d"]);
        assert!(g.shortest_chain("app", "app").is_none());
        assert!(g.shortest_chain("reflect", "app").is_none());
        assert!(g.shortest_chain("unknown", "app").is_none());
        assert_eq!(g.shortest_chains("app").len(), 6);
    }

    #[test]
    fn json_form_is_an_object_of_sorted_arrays() {
        let g = graph();
        let json = serde_json::to_string(&g).unwrap();
        assert!(
            json.starts_with(r#"{"a":["x"],"app":["a","b","c"]"#),
            "{json}"
        );
        let back: ImportGraph = serde_json::from_str(&json).unwrap();
        assert_eq!(back, g);
        assert_eq!(g.imports("app").collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(g.len(), 6);
        assert!(!g.is_empty() && ImportGraph::new().is_empty());
    }
}

//! Property test: any single-threaded sequence of operations agrees with a simple model.

use handlepool::{HandleId, HandlePool, PoolError, TakeError};
use proptest::prelude::*;
use std::collections::HashMap;

#[derive(Debug, Clone)]
enum Op {
    Acquire(u32),
    Resolve(usize),
    Release(usize),
    Take(usize),
    Hold(usize),
    DropHeld,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => any::<u32>().prop_map(Op::Acquire),
        2 => any::<usize>().prop_map(Op::Resolve),
        2 => any::<usize>().prop_map(Op::Release),
        1 => any::<usize>().prop_map(Op::Take),
        1 => any::<usize>().prop_map(Op::Hold),
        1 => Just(Op::DropHeld),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 4 } else { 256 }))]
    #[test]
    fn pool_matches_model(max in 0usize..6, ops in proptest::collection::vec(op(), 1..120)) {
        let pool = HandlePool::with_max_handles(max);
        let mut model: HashMap<HandleId, u32> = HashMap::new();
        let mut ever: Vec<HandleId> = Vec::new();
        let mut held = Vec::new();
        for op in ops {
            match op {
                Op::Acquire(v) => match pool.acquire(v) {
                    Ok(id) => {
                        prop_assert!(model.len() < max);
                        prop_assert!(!ever.contains(&id), "ID reused");
                        model.insert(id, v);
                        ever.push(id);
                    }
                    Err(e) => {
                        prop_assert_eq!(e, PoolError::Exhausted { max });
                        prop_assert_eq!(model.len(), max);
                    }
                },
                Op::Resolve(i) if !ever.is_empty() => {
                    let id = ever[i % ever.len()];
                    prop_assert_eq!(pool.resolve(id).map(|r| *r), model.get(&id).copied());
                }
                Op::Release(i) if !ever.is_empty() => {
                    let id = ever[i % ever.len()];
                    prop_assert_eq!(pool.release(id), model.remove(&id).is_some());
                }
                Op::Take(i) if !ever.is_empty() => {
                    let id = ever[i % ever.len()];
                    let guarded = held.iter().any(|(h, _): &(HandleId, _)| *h == id);
                    let got = pool.try_take(id);
                    match model.get(&id) {
                        None => prop_assert_eq!(got, Err(TakeError::Unknown)),
                        Some(_) if guarded => prop_assert_eq!(got, Err(TakeError::InUse)),
                        Some(v) => {
                            prop_assert_eq!(got, Ok(*v));
                            model.remove(&id);
                        }
                    }
                }
                Op::Hold(i) if !ever.is_empty() => {
                    let id = ever[i % ever.len()];
                    if let Some(r) = pool.resolve(id) {
                        held.push((id, r));
                    }
                }
                Op::DropHeld => {
                    held.pop();
                }
                _ => {}
            }
            prop_assert_eq!(pool.live(), model.len());
        }
    }
}

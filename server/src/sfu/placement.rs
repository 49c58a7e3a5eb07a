//! Which node a participant uses. Everyone who publishes (an ordinary SFU meeting, a
//! town hall's stage) is on node 0; a town hall's audience is spread over the other
//! nodes, least loaded first, or on node 0 when it is the only one.

/// The node for a new audience member, given how many are on each node now.
pub fn audience_node(node_count: usize, load: impl Fn(usize) -> usize) -> usize {
    if node_count < 2 {
        return 0;
    }
    (1..node_count)
        .min_by_key(|node| (load(*node), *node))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_node_holds_everyone() {
        assert_eq!(audience_node(1, |_| 0), 0);
        assert_eq!(audience_node(0, |_| 0), 0);
    }

    #[test]
    fn audience_goes_to_the_least_loaded_other_node() {
        assert_eq!(audience_node(2, |_| 5), 1);
        let loads = [0, 3, 1, 1];
        assert_eq!(audience_node(4, |n| loads[n]), 2);
    }
}

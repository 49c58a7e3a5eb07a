//! The other people with the board open: names, cursor colours, where their pointer
//! is and what they are looking at (for following).

use tandem_protocol::boards::{BoardPeer, PageId, Point, Viewport};
use uuid::Uuid;

/// Cursor colours, picked by connection so a person keeps theirs while connected.
const CURSOR_COLOURS: [&str; 8] = [
    "#e03131", "#1971c2", "#2f9e44", "#f08c00", "#9c36b5", "#0c8599", "#c2255c", "#5c940d",
];

pub fn colour_for(connection_id: Uuid) -> &'static str {
    let n = connection_id.as_u128();
    let folded = (n ^ (n >> 64)) as u64;
    CURSOR_COLOURS[(folded % CURSOR_COLOURS.len() as u64) as usize]
}

#[derive(Debug, Clone, PartialEq)]
pub struct Peer {
    pub connection_id: Uuid,
    pub name: String,
    pub colour: &'static str,
    /// Their pointer: page and board position.
    pub cursor: Option<(PageId, Point)>,
    pub viewport: Option<Viewport>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Peers {
    list: Vec<Peer>,
}

impl Peers {
    /// By name, so the list does not jump around as people move.
    pub fn list(&self) -> &[Peer] {
        &self.list
    }

    pub fn get(&self, id: Uuid) -> Option<&Peer> {
        self.list.iter().find(|p| p.connection_id == id)
    }

    fn entry(&mut self, peer: &BoardPeer) -> &mut Peer {
        let i = match self
            .list
            .iter()
            .position(|p| p.connection_id == peer.connection_id)
        {
            Some(i) => i,
            None => {
                self.list.push(Peer {
                    connection_id: peer.connection_id,
                    name: peer.display_name.clone(),
                    colour: colour_for(peer.connection_id),
                    cursor: None,
                    viewport: None,
                });
                self.list.sort_by(|a, b| {
                    a.name
                        .cmp(&b.name)
                        .then(a.connection_id.cmp(&b.connection_id))
                });
                self.list
                    .iter()
                    .position(|p| p.connection_id == peer.connection_id)
                    .unwrap_or(0)
            }
        };
        &mut self.list[i]
    }

    /// The answer to `Open`: who is here now (positions arrive with their next move).
    pub fn opened(&mut self, peers: &[BoardPeer]) {
        let old = std::mem::take(&mut self.list);
        for peer in peers {
            let kept = old.iter().find(|p| p.connection_id == peer.connection_id);
            let e = self.entry(peer);
            if let Some(kept) = kept {
                e.cursor = kept.cursor;
                e.viewport = kept.viewport;
            }
        }
    }

    pub fn pointer(
        &mut self,
        peer: &BoardPeer,
        page: PageId,
        at: Point,
        viewport: Option<Viewport>,
    ) {
        let e = self.entry(peer);
        e.name = peer.display_name.clone();
        e.cursor = Some((page, at));
        if viewport.is_some() {
            e.viewport = viewport;
        }
    }

    pub fn left(&mut self, connection_id: Uuid) {
        self.list.retain(|p| p.connection_id != connection_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(id: u128, name: &str) -> BoardPeer {
        BoardPeer {
            connection_id: Uuid::from_u128(id),
            user_id: None,
            display_name: name.into(),
        }
    }

    #[test]
    fn peers_come_move_and_go() {
        let mut peers = Peers::default();
        peers.opened(&[peer(2, "Ben"), peer(1, "Ana")]);
        let names: Vec<&str> = peers.list().iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["Ana", "Ben"]);
        let page = Uuid::from_u128(9);
        let vp = Viewport {
            page_id: page,
            center: Point { x: 1.0, y: 2.0 },
            zoom: 2.0,
        };
        peers.pointer(&peer(3, "Cy"), page, Point { x: 5.0, y: 5.0 }, Some(vp));
        assert_eq!(peers.list().len(), 3);
        // A pointer without a viewport keeps the last one.
        peers.pointer(&peer(3, "Cy"), page, Point { x: 6.0, y: 5.0 }, None);
        let cy = peers.get(Uuid::from_u128(3)).unwrap();
        assert_eq!((cy.cursor.unwrap().1.x, cy.viewport), (6.0, Some(vp)));
        // Re-opening keeps known positions of those still here.
        peers.opened(&[peer(3, "Cy")]);
        assert_eq!(peers.list().len(), 1);
        assert!(peers.get(Uuid::from_u128(3)).unwrap().cursor.is_some());
        peers.left(Uuid::from_u128(3));
        assert!(peers.list().is_empty());
        assert_eq!(
            colour_for(Uuid::from_u128(3)),
            colour_for(Uuid::from_u128(3))
        );
    }
}

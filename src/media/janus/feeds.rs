//! The room as the browser sees it through Janus: which feeds publish which streams,
//! and which of them our one subscriber connection carries on which m-line. Pure: the
//! transport feeds it Janus's events and asks what to subscribe to next.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::messages::{PublishedStream, Publisher, SubscribedStream};
use crate::media::types::StreamKind;

/// A feed's stream: (feed id, the publisher's mid).
pub type FeedStream = (String, String);

#[derive(Debug, Default)]
pub struct Feeds {
    local_feed: String,
    /// Every other publisher and what it currently sends.
    publishers: BTreeMap<String, Vec<PublishedStream>>,
    /// What the subscriber connection carries, by its own mid.
    by_mid: HashMap<String, SubscribedStream>,
}

impl Feeds {
    pub fn new(local_feed: &str) -> Feeds {
        Feeds {
            local_feed: local_feed.to_string(),
            ..Feeds::default()
        }
    }

    /// A `publishers` list: each entry replaces what we knew of that feed.
    pub fn publishers_seen(&mut self, list: Vec<Publisher>) {
        for p in list {
            if p.feed != self.local_feed {
                self.publishers.insert(p.feed, p.streams);
            }
        }
    }

    pub fn gone(&mut self, feed: &str) {
        self.publishers.remove(feed);
    }

    /// The subscriber connection's current streams (from `attached` / `updated`).
    pub fn subscribed(&mut self, streams: Vec<SubscribedStream>) {
        self.by_mid = streams
            .into_iter()
            .filter(|s| s.active)
            .map(|s| (s.mid.clone(), s))
            .collect();
    }

    fn carried(&self) -> BTreeSet<FeedStream> {
        self.by_mid
            .values()
            .map(|s| (s.feed.clone(), s.feed_mid.clone()))
            .collect()
    }

    /// Published, enabled streams we do not receive yet.
    pub fn to_subscribe(&self) -> Vec<FeedStream> {
        let carried = self.carried();
        self.publishers
            .iter()
            .flat_map(|(feed, streams)| {
                streams
                    .iter()
                    .filter(|s| !s.disabled)
                    .map(move |s| (feed.clone(), s.mid.clone()))
            })
            .filter(|fs| !carried.contains(fs))
            .collect()
    }

    /// Streams we receive whose publisher stopped sending them.
    pub fn to_unsubscribe(&self) -> Vec<FeedStream> {
        self.carried()
            .into_iter()
            .filter(|(feed, mid)| {
                !self
                    .publishers
                    .get(feed)
                    .is_some_and(|streams| streams.iter().any(|s| &s.mid == mid && !s.disabled))
            })
            .collect()
    }

    /// What the m-line `mid` of our subscriber connection shows: whose, camera or
    /// screen, and whether it is video.
    pub fn stream_of_mid(&self, mid: &str) -> Option<(String, StreamKind, bool)> {
        let s = self.by_mid.get(mid)?;
        let published = self
            .publishers
            .get(&s.feed)?
            .iter()
            .find(|p| p.mid == s.feed_mid)?;
        Some((s.feed.clone(), published.kind, published.video))
    }

    /// The subscriber mid carrying `feed`'s camera video (for picking its layer).
    pub fn camera_video_mid(&self, feed: &str) -> Option<String> {
        self.by_mid
            .keys()
            .find(|mid| {
                self.stream_of_mid(mid).is_some_and(|(f, kind, video)| {
                    f == feed && kind == StreamKind::Camera && video
                })
            })
            .cloned()
    }

    /// Everyone publishing something, i.e. the people who get tiles with media.
    pub fn feeds(&self) -> Vec<String> {
        self.publishers.keys().cloned().collect()
    }

    /// Whether `feed` still sends an enabled stream of `kind`.
    pub fn publishes(&self, feed: &str, kind: StreamKind) -> bool {
        self.publishers
            .get(feed)
            .is_some_and(|streams| streams.iter().any(|s| s.kind == kind && !s.disabled))
    }

    pub fn knows(&self, feed: &str) -> bool {
        self.publishers.contains_key(feed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(mid: &str, video: bool, kind: StreamKind) -> PublishedStream {
        PublishedStream {
            mid: mid.into(),
            video,
            kind,
            disabled: false,
        }
    }

    fn camera(feed: &str) -> Publisher {
        Publisher {
            feed: feed.into(),
            streams: vec![
                stream("0", false, StreamKind::Camera),
                stream("1", true, StreamKind::Camera),
            ],
        }
    }

    fn sub(mid: &str, feed: &str, feed_mid: &str) -> SubscribedStream {
        SubscribedStream {
            mid: mid.into(),
            feed: feed.into(),
            feed_mid: feed_mid.into(),
            active: true,
        }
    }

    #[test]
    fn subscribes_to_every_other_publisher_once() {
        let mut f = Feeds::new("me");
        f.publishers_seen(vec![camera("me"), camera("a"), camera("b")]);
        assert_eq!(f.feeds(), vec!["a".to_string(), "b".to_string()]);
        assert_eq!(f.to_subscribe().len(), 4);
        f.subscribed(vec![sub("0", "a", "0"), sub("1", "a", "1")]);
        assert_eq!(
            f.to_subscribe(),
            vec![("b".into(), "0".into()), ("b".into(), "1".into())]
        );
        assert_eq!(
            f.stream_of_mid("1"),
            Some(("a".into(), StreamKind::Camera, true))
        );
        assert_eq!(f.camera_video_mid("a").as_deref(), Some("1"));
    }

    #[test]
    fn a_screen_share_is_a_new_stream_and_its_end_an_unsubscription() {
        let mut f = Feeds::new("me");
        f.publishers_seen(vec![camera("a")]);
        f.subscribed(vec![sub("0", "a", "0"), sub("1", "a", "1")]);
        let mut shared = camera("a");
        shared.streams.push(stream("2", true, StreamKind::Screen));
        f.publishers_seen(vec![shared]);
        assert_eq!(f.to_subscribe(), vec![("a".into(), "2".into())]);
        f.subscribed(vec![
            sub("0", "a", "0"),
            sub("1", "a", "1"),
            sub("2", "a", "2"),
        ]);
        assert_eq!(
            f.stream_of_mid("2"),
            Some(("a".into(), StreamKind::Screen, true))
        );
        f.publishers_seen(vec![camera("a")]);
        assert_eq!(f.to_unsubscribe(), vec![("a".into(), "2".into())]);
        f.gone("a");
        assert_eq!(f.to_unsubscribe().len(), 3);
        assert!(!f.knows("a"));
    }
}

//! The picker's state as plain data: which files are uploading, done or failed.
//! Kept free of signals and the DOM so every transition is unit-tested natively.

use tandem_protocol::chat::{Attachment, MAX_ATTACHMENTS_PER_MESSAGE};

#[derive(Debug, Clone, PartialEq)]
pub enum UploadState {
    /// Bytes sent so far and in total (0 / 0 until the first progress event).
    Uploading {
        loaded: f64,
        total: f64,
    },
    Done(Attachment),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct UploadItem {
    /// Unique for the picker's lifetime, so a late result for a cleared item is ignored.
    pub key: u64,
    pub name: String,
    pub state: UploadState,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct UploadList {
    items: Vec<UploadItem>,
    next_key: u64,
}

impl UploadList {
    pub fn items(&self) -> &[UploadItem] {
        &self.items
    }

    pub fn get(&self, key: u64) -> Option<&UploadItem> {
        self.items.iter().find(|i| i.key == key)
    }

    /// Adds a file about to upload; `None` (and a failed item explaining why) when the
    /// message already holds as many files as it may.
    pub fn start(&mut self, name: &str) -> Option<u64> {
        let key = self.push(
            name,
            UploadState::Uploading {
                loaded: 0.0,
                total: 0.0,
            },
        );
        if self.active_count() > MAX_ATTACHMENTS_PER_MESSAGE {
            self.fail(
                key,
                format!("A message can carry at most {MAX_ATTACHMENTS_PER_MESSAGE} files."),
            );
            return None;
        }
        Some(key)
    }

    /// A file refused before any request (e.g. larger than the limit).
    pub fn reject(&mut self, name: &str, reason: String) {
        self.push(name, UploadState::Failed(reason));
    }

    pub fn progress(&mut self, key: u64, loaded: f64, total: f64) {
        if let Some(item) = self.item_mut(key) {
            if matches!(item.state, UploadState::Uploading { .. }) {
                item.state = UploadState::Uploading { loaded, total };
            }
        }
    }

    pub fn finish(&mut self, key: u64, attachment: Attachment) {
        if let Some(item) = self.item_mut(key) {
            item.state = UploadState::Done(attachment);
        }
    }

    pub fn fail(&mut self, key: u64, message: String) {
        if let Some(item) = self.item_mut(key) {
            item.state = UploadState::Failed(message);
        }
    }

    pub fn remove(&mut self, key: u64) {
        self.items.retain(|i| i.key != key);
    }

    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// What the message will carry: finished uploads, in the order they were chosen.
    pub fn attachments(&self) -> Vec<Attachment> {
        self.items
            .iter()
            .filter_map(|i| match &i.state {
                UploadState::Done(a) => Some(a.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn is_uploading(&self) -> bool {
        self.items
            .iter()
            .any(|i| matches!(i.state, UploadState::Uploading { .. }))
    }

    fn active_count(&self) -> usize {
        self.items
            .iter()
            .filter(|i| !matches!(i.state, UploadState::Failed(_)))
            .count()
    }

    fn push(&mut self, name: &str, state: UploadState) -> u64 {
        let key = self.next_key;
        self.next_key += 1;
        self.items.push(UploadItem {
            key,
            name: name.to_string(),
            state,
        });
        key
    }

    fn item_mut(&mut self, key: u64) -> Option<&mut UploadItem> {
        self.items.iter_mut().find(|i| i.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn attachment(n: u128) -> Attachment {
        Attachment {
            id: Uuid::from_u128(n),
            name: format!("f{n}.txt"),
            content_type: "text/plain".into(),
            size: 10,
            url: format!("/api/files/{n}"),
        }
    }

    #[test]
    fn lifecycle_and_attachments() {
        let mut list = UploadList::default();
        let a = list.start("a.txt").unwrap();
        let b = list.start("b.txt").unwrap();
        assert!(list.is_uploading());
        list.progress(a, 5.0, 10.0);
        assert_eq!(
            list.get(a).unwrap().state,
            UploadState::Uploading {
                loaded: 5.0,
                total: 10.0
            }
        );
        list.finish(b, attachment(2));
        list.finish(a, attachment(1));
        assert!(!list.is_uploading());
        // Order of choosing, not of finishing.
        assert_eq!(list.attachments(), vec![attachment(1), attachment(2)]);
        // A late progress event never turns a chip back into a bar.
        list.progress(a, 1.0, 10.0);
        assert!(matches!(list.get(a).unwrap().state, UploadState::Done(_)));
        list.remove(a);
        assert_eq!(list.attachments(), vec![attachment(2)]);
    }

    #[test]
    fn results_for_cleared_items_are_ignored() {
        let mut list = UploadList::default();
        let a = list.start("a.txt").unwrap();
        list.clear();
        list.finish(a, attachment(1));
        assert!(list.items().is_empty());
        // Keys are never reused after a clear.
        assert_ne!(list.start("b.txt"), Some(a));
    }

    #[test]
    fn failures_show_and_do_not_count() {
        let mut list = UploadList::default();
        list.reject("huge.iso", "Too large".into());
        let keys: Vec<_> = (0..MAX_ATTACHMENTS_PER_MESSAGE)
            .map(|i| list.start(&format!("{i}")).unwrap())
            .collect();
        assert_eq!(keys.len(), MAX_ATTACHMENTS_PER_MESSAGE);
        assert_eq!(list.start("one too many"), None);
        let last = list.items().last().unwrap();
        assert!(matches!(&last.state, UploadState::Failed(m) if m.contains("at most")));
        assert!(list.attachments().is_empty());
    }
}

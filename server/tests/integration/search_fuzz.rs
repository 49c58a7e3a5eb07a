//! Fuzzing the search box (issue #10, "Guards"): the query parser and the expression
//! built from its words for the search index (an FTS5 MATCH expression on SQLite, a
//! `to_tsquery` input on Postgres), run against a real index made by the real
//! migration. Whatever is typed, parsing must not panic, its output is bounded, and the
//! index must accept the expression (never read a word as query syntax) and find a
//! message that contains the words.

use crate::common;

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use reqwest::StatusCode;
use sqlx::{Connection, PgConnection, SqliteConnection};
use tandem_protocol::chat::MAX_SEARCH_QUERY_CHARS;
use tandem_server::chat::search_query::{self, From, MAX_TERMS};
use tandem_server::db::search::{match_expression, tsquery_expression, words};

use common::TestDatabase;

const CASES: u32 = 3_000;

/// Display names that are hard to match: prefixes of each other, spaces, case that
/// changes length (`İ`, the Kelvin sign), combining marks.
fn names() -> Vec<String> {
    [
        "Ana",
        "Ana Lee",
        "İlkay",
        "\u{212A}elvin",
        "Zoë Dubois",
        "e\u{301}mile",
        "Bo",
    ]
    .map(String::from)
    .to_vec()
}

/// Text built from the pieces that matter to the parser and to FTS5, plus any
/// character at all.
fn query() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9éß]{1,8}",
        1 => Just("in:".to_string()),
        1 => Just("IN:#".to_string()),
        1 => Just("from:@".to_string()),
        1 => Just("FROM:@ana lee".to_string()),
        1 => Just("from:@i\u{307}lkay".to_string()),
        2 => prop::sample::select(vec![
            "\"", "\"\"", "*", "^", "(", ")", "{", "}", ":", "+", "-", "AND", "OR", "NOT",
            "NEAR(", "NEAR/2", "'", ";", "--", "\\", "\u{0}", "\u{1}", "\u{2}", "col:",
            "body:", "message_id:", "\u{200b}",
        ])
        .prop_map(String::from),
        3 => prop::sample::select(vec![" ", "  ", "\t", "\n", "\u{3000}"]).prop_map(String::from),
        2 => any::<char>().prop_map(String::from),
    ];
    prop_oneof![
        4 => prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat()),
        1 => any::<String>(),
        // Long input, to check the bounds.
        1 => prop::collection::vec("[a-z]{1,3} ", 100..400).prop_map(|words| words.concat()),
    ]
}

/// The search index of the backend under test, holding at most one message.
enum Index {
    Fts5(SqliteConnection),
    Tsvector {
        db: PgConnection,
        /// Dropped (and with it the database) after the connection.
        _database: TestDatabase,
    },
}

impl Index {
    async fn new() -> Index {
        let database = TestDatabase::new().await;
        if !database.is_postgres() {
            let mut db = SqliteConnection::connect("sqlite::memory:").await.unwrap();
            sqlx::raw_sql(include_str!("../../migrations/sqlite/0003_search.sql"))
                .execute(&mut db)
                .await
                .unwrap();
            return Index::Fts5(db);
        }
        let url = database.url().expect("a Postgres database");
        let mut db = PgConnection::connect(&url).await.unwrap();
        sqlx::migrate!("./migrations/postgres")
            .run(&mut db)
            .await
            .unwrap();
        Index::Tsvector {
            db,
            _database: database,
        }
    }

    /// The expression for `terms`, and how many messages it finds when the index holds
    /// only `document`.
    async fn found(
        &mut self,
        document: &str,
        terms: &[String],
    ) -> (String, Result<i64, sqlx::Error>) {
        match self {
            Index::Fts5(db) => {
                let expression = match_expression(terms);
                let found = async {
                    sqlx::query("DELETE FROM messages_fts")
                        .execute(&mut *db)
                        .await?;
                    sqlx::query(
                        "INSERT INTO messages_fts (rowid, body, message_id) VALUES (1, $1, 'm')",
                    )
                    .bind(document)
                    .execute(&mut *db)
                    .await?;
                    sqlx::query_scalar::<_, i64>(
                        "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH $1",
                    )
                    .bind(&expression)
                    .fetch_one(&mut *db)
                    .await
                }
                .await;
                (expression, found)
            }
            Index::Tsvector { db, .. } => {
                let expression = tsquery_expression(terms);
                let found = async {
                    sqlx::query("DELETE FROM messages_search")
                        .execute(&mut *db)
                        .await?;
                    sqlx::query(
                        "INSERT INTO messages_search (seq, message_id, words, document)
                         VALUES (1, 'm', $1, to_tsvector('tandem_search', $1))",
                    )
                    .bind(words(document))
                    .execute(&mut *db)
                    .await?;
                    sqlx::query_scalar::<_, i64>(
                        "SELECT count(*) FROM messages_search
                         WHERE document @@ to_tsquery('tandem_search', $1)",
                    )
                    .bind(&expression)
                    .fetch_one(&mut *db)
                    .await
                }
                .await;
                (expression, found)
            }
        }
    }
}

#[test]
fn any_search_text_parses_into_bounded_words_that_the_index_accepts_and_finds() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // The runner takes a `Fn`: the one index is borrowed per case.
    let index = std::cell::RefCell::new(runtime.block_on(Index::new()));
    let names = names();
    let mut runner = TestRunner::new(ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let result = runner.run(&query(), |input| {
        let parsed = search_query::parse(&input, &names);
        // Bounded: a few words, none longer than what was read.
        prop_assert!(parsed.terms.len() <= MAX_TERMS);
        let read: usize = input.chars().take(MAX_SEARCH_QUERY_CHARS).count();
        let used: usize = parsed.terms.iter().map(|t| t.chars().count()).sum();
        prop_assert!(used <= read);
        for term in &parsed.terms {
            prop_assert!(!term.is_empty() && !term.chars().any(char::is_whitespace));
            prop_assert!(term.chars().any(char::is_alphanumeric), "{term:?}");
        }
        if let Some(channel) = &parsed.in_channel {
            prop_assert!(channel.chars().count() <= read);
        }
        if let Some(From::Name(i)) = parsed.from {
            prop_assert!(i < names.len());
        }
        if parsed.terms.is_empty() {
            return Ok(());
        }

        // The expression the index gets: accepted, and a message made of those very
        // words is found (nothing in a word was read as an operator or a column filter).
        let document = parsed.terms.join(" ");
        let index = &mut *index.borrow_mut();
        let (expression, found) = runtime.block_on(index.found(&document, &parsed.terms));
        let n = match found {
            Ok(n) => n,
            Err(err) => {
                return Err(TestCaseError::fail(format!(
                    "the index refused {expression:?}: {err}"
                )))
            }
        };
        // Words with a plain letter or digit always find themselves. (A word of only
        // combining marks is alphanumeric to Rust but no token to FTS5's unicode61:
        // it finds nothing, which is right, as no message can hold it as a word.)
        if parsed
            .terms
            .iter()
            .all(|t| t.chars().any(|c| c.is_ascii_alphanumeric()))
        {
            prop_assert_eq!(n, 1, "{:?} did not find {:?}", expression, document);
        }
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}

#[tokio::test]
async fn an_overlong_search_is_refused_with_a_clear_error() {
    let ts = common::spawn().await;
    let (admin, _) = ts.admin().await;
    let ask = |q: String| {
        let url = reqwest::Url::parse_with_params(&admin.url("/api/search"), &[("q", q)]);
        admin.http.get(url.unwrap()).send()
    };
    let at_limit = ask("a".repeat(MAX_SEARCH_QUERY_CHARS)).await.unwrap();
    assert_eq!(at_limit.status(), StatusCode::OK);
    let over = ask("é".repeat(MAX_SEARCH_QUERY_CHARS + 1)).await.unwrap();
    assert_eq!(over.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = common::error_body(over).await;
    assert_eq!(error.field.as_deref(), Some("q"));
}

//! The HTTP path against a local mock server: paging, retries, faults, auth. Interviews and
//! people here are synthetic. Mocks are tried in the order they are made; a mock limited with
//! `up_to_n_times` answers that many requests and then lets the next one answer.

use std::time::Duration;

use blindfold::source::codesignal::{ApiKey, Client, ClientConfig, FetchError, to_domain};
use httpmock::prelude::*;
use serde_json::{Value, json};

fn interview(id: &str, email: &str) -> Value {
    json!({
        "id": id, "candidateEmail": email, "candidateName": "Ana Lima", "status": "over",
        "startDate": 1_762_000_000_000_i64, "finishDate": 1_762_003_600_000_i64,
        "interviewersFeedback": [{
            "author": {"id": "u1", "username": "iv_one", "profile": {"name": "Iv One", "email": null}},
            "notes": "She was calm.", "categories": [{"name": "Coding", "attributes": [{"name": "Correctness", "score": 4, "notes": null}]}],
            "recommendedLevel": "L4", "evaluation": "Hire"
        }]
    })
}

fn page(ids: std::ops::Range<usize>) -> Value {
    json!({"data": {"liveInterviews": ids.map(|i| interview(&format!("li{i}"), "ana@example.com")).collect::<Vec<_>>()}})
}

fn client(server: &MockServer) -> Client {
    let mut config = ClientConfig::new(&server.url("/graphql"), ApiKey::new("test-key-123").unwrap());
    config.rate = 1000.0;
    config.timeout = Duration::from_millis(500);
    config.attempts = 3;
    config.backoff = Duration::from_millis(5);
    Client::new(config).unwrap()
}

#[test]
fn pages_of_twenty_until_a_short_page_deduplicated() {
    let server = MockServer::start();
    let first = server.mock(|when, then| {
        when.method(POST)
            .path("/graphql")
            .header("authorization", "Bearer test-key-123")
            .json_body_includes(r#"{"variables": {"candidateEmail": "ana@example.com", "first": 20, "offset": 0}}"#);
        then.status(200).json_body(page(0..20));
    });
    // The second page repeats li19: interviews added while paging shift the pages.
    let second = server.mock(|when, then| {
        when.json_body_includes(r#"{"variables": {"offset": 20}}"#);
        then.status(200).json_body(page(19..39));
    });
    let third = server.mock(|when, then| {
        when.json_body_includes(r#"{"variables": {"offset": 40}}"#);
        then.status(200).json_body(page(39..44));
    });
    let interviews = client(&server).interviews(Some("ana@example.com")).unwrap();
    first.assert_calls(1);
    second.assert_calls(1);
    third.assert_calls(1);
    assert_eq!(interviews.len(), 44);
    let domain = to_domain(interviews).unwrap();
    assert_eq!(domain[0].feedback[0].categories[0].attributes[0].score, Some(4));
}

#[test]
fn an_exact_multiple_of_twenty_ends_on_an_empty_page() {
    let server = MockServer::start();
    let first = server.mock(|when, then| {
        when.json_body_includes(r#"{"variables": {"offset": 0}}"#);
        then.status(200).json_body(page(0..20));
    });
    let empty = server.mock(|when, then| {
        when.json_body_includes(r#"{"variables": {"offset": 20}}"#);
        then.status(200).json_body(json!({"data": {"liveInterviews": []}}));
    });
    assert_eq!(client(&server).interviews(None).unwrap().len(), 20);
    first.assert_calls(1);
    empty.assert_calls(1);
}

#[test]
fn server_errors_and_429_are_retried() {
    let server = MockServer::start();
    let failing = server.mock(|_, then| {
        then.status(503).body("unavailable").up_to_n_times(1);
    });
    let limited = server.mock(|_, then| {
        then.status(429).header("retry-after", "0").up_to_n_times(1);
    });
    let ok = server.mock(|_, then| {
        then.status(200).json_body(page(0..3));
    });
    assert_eq!(client(&server).interviews(None).unwrap().len(), 3);
    failing.assert_calls(1);
    limited.assert_calls(1);
    ok.assert_calls(1);
}

#[test]
fn a_timeout_is_retried() {
    let server = MockServer::start();
    let slow = server.mock(|_, then| {
        then.status(200)
            .json_body(page(0..1))
            .delay(Duration::from_secs(2))
            .up_to_n_times(1);
    });
    let ok = server.mock(|_, then| {
        then.status(200).json_body(page(0..2));
    });
    assert_eq!(client(&server).interviews(None).unwrap().len(), 2);
    slow.assert_calls(1);
    ok.assert_calls(1);
}

#[test]
fn malformed_json_is_retried_then_given_up() {
    let server = MockServer::start();
    let bad = server.mock(|_, then| {
        then.status(200).body("{\"data\": {\"liveInterviews\": [");
    });
    let err = client(&server).interviews(None).unwrap_err();
    bad.assert_calls(3);
    match err {
        FetchError::Exhausted { attempts, last } => {
            assert_eq!(attempts, 3);
            assert!(last.contains("not the expected JSON"), "{last}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn graphql_errors_fail_at_once_even_with_partial_data() {
    for body in [
        json!({"errors": [{"message": "Field 'liveInterviews' is broken"}]}),
        json!({"data": {"liveInterviews": [interview("li1", "a@example.com")]}, "errors": [{"message": "feedback unavailable"}]}),
    ] {
        let server = MockServer::start();
        let mock = server.mock(|_, then| {
            then.status(200).json_body(body.clone());
        });
        let err = client(&server).interviews(None).unwrap_err();
        mock.assert_calls(1);
        assert!(matches!(err, FetchError::GraphQl(_)), "{err:?}");
    }
}

#[test]
fn graphql_rate_limit_errors_are_retried() {
    let server = MockServer::start();
    let limited = server.mock(|_, then| {
        then.status(200)
            .json_body(json!({"errors": [{"message": "Rate limit exceeded for field liveInterviews"}]}))
            .up_to_n_times(2);
    });
    let ok = server.mock(|_, then| {
        then.status(200).json_body(page(0..1));
    });
    assert_eq!(client(&server).interviews(None).unwrap().len(), 1);
    limited.assert_calls(2);
    ok.assert_calls(1);
}

#[test]
fn auth_failures_are_not_retried_and_name_the_permission() {
    for (status, body) in [
        (401, json!({"message": "unauthorized"})),
        (200, json!({"errors": [{"message": "Access Denied"}], "data": null})),
    ] {
        let server = MockServer::start();
        let mock = server.mock(|_, then| {
            then.status(status).json_body(body.clone());
        });
        let err = client(&server).interviews(Some("a@example.com")).unwrap_err();
        mock.assert_calls(1);
        let message = err.to_string();
        assert!(message.contains("liveInterview.company.read"), "{message}");
        assert!(!message.contains("test-key-123"), "the key leaked into: {message}");
    }
}

#[test]
fn nulls_and_unknown_values_decode() {
    let server = MockServer::start();
    server.mock(|_, then| {
        then.status(200).json_body(json!({"data": {"liveInterviews": [
            {"id": "li1", "candidateEmail": null, "candidateName": null, "status": "rescheduled",
             "startDate": null, "finishDate": null, "interviewersFeedback": null},
            {"id": "li2", "candidateEmail": "b@example.com", "candidateName": "Bo", "status": "over",
             "startDate": "1762000000000", "finishDate": null,
             "interviewersFeedback": [null, {"author": {"id": "u2", "username": "iv2", "profile": {"name": null, "email": null}},
                 "notes": "", "categories": null, "recommendedLevel": null, "evaluation": null}]},
            null
        ]}}));
    });
    let interviews = to_domain(client(&server).interviews(None).unwrap()).unwrap();
    assert_eq!(interviews.len(), 2);
    assert_eq!(interviews[0].status.as_str(), "rescheduled");
    assert_eq!(interviews[1].start, Some(1_762_000_000_000));
    assert_eq!(interviews[1].feedback.len(), 1);
    assert_eq!(interviews[1].feedback[0].interviewer.display_name(), "iv2");
}

#[test]
fn a_null_author_leaves_its_feedback_out_and_null_notes_are_empty() {
    let server = MockServer::start();
    server.mock(|_, then| {
        then.status(200).json_body(json!({"data": {"liveInterviews": [
            {"id": "li3", "candidateEmail": "b@example.com", "candidateName": "Bo", "status": "over",
             "startDate": 1762000000000_i64, "finishDate": null,
             "interviewersFeedback": [
                 {"author": null, "notes": "Written by a deleted account.", "categories": null, "recommendedLevel": null, "evaluation": null},
                 {"author": {"id": "u3", "username": "iv3", "profile": null}, "notes": null,
                  "categories": null, "recommendedLevel": null, "evaluation": "Hire"}]}
        ]}}));
    });
    let interviews = to_domain(client(&server).interviews(None).unwrap()).unwrap();
    assert_eq!(interviews[0].feedback_without_author, [0]);
    assert_eq!(interviews[0].feedback.len(), 1);
    assert_eq!(interviews[0].feedback[0].notes, "");
    assert_eq!(interviews[0].feedback[0].interviewer.display_name(), "iv3");
}

#[test]
fn a_date_the_api_gives_as_text_is_an_error_naming_interview_and_field() {
    let server = MockServer::start();
    server.mock(|_, then| {
        then.status(200).json_body(json!({"data": {"liveInterview":
            {"id": "li4", "candidateEmail": "b@example.com", "candidateName": "Bo", "status": "over",
             "startDate": 1762000000000_i64, "finishDate": "yesterday", "interviewersFeedback": []}
        }}));
    });
    let err = client(&server).interview("li4").unwrap_err();
    assert!(matches!(err, FetchError::Record(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "interview li4: finishDate is the text \"yesterday\", not a time (milliseconds since 1970, as a number)"
    );
    assert_eq!(
        err.summary(),
        "interview li4: finishDate is not a time",
        "logs get no API text"
    );
}

#[test]
fn one_interview_by_id() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.json_body_includes(r#"{"variables": {"id": "li7"}}"#);
        then.status(200)
            .json_body(json!({"data": {"liveInterview": interview("li7", "c@example.com")}}));
    });
    server.mock(|_, then| {
        then.status(200).json_body(json!({"data": {"liveInterview": null}}));
    });
    let client = client(&server);
    assert_eq!(client.interview("li7").unwrap().unwrap().id, "li7");
    assert_eq!(client.interview("nope").unwrap(), None);
}

/*
 * Judges the example applications through the C library, as an intake system written in C would.
 *
 *   judge_examples EXAMPLES_DATA_DIR OUTPUT_DIR
 *
 * Reads EXAMPLES_DATA_DIR/applications.jsonl (one application per line) and
 * EXAMPLES_DATA_DIR/application-complete.json, judges each by the
 * pursuing-equity-action-community-2022 preset as of 2022-10-21, checks each outcome against the
 * one examples/data/README.md gives, and writes each decision to OUTPUT_DIR/line-N.json and
 * OUTPUT_DIR/application-complete.json (the Rust test compares them with `qic eligibility
 * check`). Then checks errors, a chart and four threads sharing one rule set. Exits 0 when every
 * check passes; prints each failure and exits 1 otherwise.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qic.h"

#define AS_OF "2022-10-21"
#define PRESET "pursuing-equity-action-community-2022"
#define MAX_LINES 64
#define THREADS 4

static int failures = 0;

static void fail(const char *what, const char *detail) {
    fprintf(stderr, "FAIL: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    failures++;
}

/* The whole file as a NUL-terminated string, or NULL. */
static char *read_file(const char *path) {
    FILE *file = fopen(path, "rb");
    if (!file) {
        return NULL;
    }
    size_t capacity = 1 << 16, length = 0;
    char *text = malloc(capacity);
    size_t n;
    while (text && (n = fread(text + length, 1, capacity - length - 1, file)) > 0) {
        length += n;
        if (capacity - length < 2) {
            capacity *= 2;
            char *bigger = realloc(text, capacity);
            if (!bigger) {
                free(text);
                fclose(file);
                return NULL;
            }
            text = bigger;
        }
    }
    fclose(file);
    if (text) {
        text[length] = '\0';
    }
    return text;
}

static int write_file(const char *path, const char *text) {
    FILE *file = fopen(path, "wb");
    if (!file) {
        return 0;
    }
    size_t length = strlen(text);
    int ok = fwrite(text, 1, length, file) == length;
    return fclose(file) == 0 && ok;
}

/* The outcome of a decision: the value after "outcome": in the JSON. */
static int has_outcome(const char *decision, const char *outcome) {
    char needle[64];
    snprintf(needle, sizeof needle, "\"outcome\": \"%s\"", outcome);
    return strstr(decision, needle) != NULL;
}

/* Judges one application, checks its outcome and writes the decision; returns the decision. */
static char *judge(const QicRuleSet *rules, const char *application, const char *expected,
                   const char *output_path) {
    char *decision = NULL, *err = NULL;
    QicStatus status = qic_evaluate_json(rules, application, AS_OF, &decision, &err);
    if (status != QIC_STATUS_OK) {
        fail(output_path, err);
        qic_string_free(err);
        return NULL;
    }
    if (!has_outcome(decision, expected)) {
        fail(output_path, "unexpected outcome");
        fprintf(stderr, "expected %s in:\n%s\n", expected, decision);
    }
    if (!write_file(output_path, decision)) {
        fail("cannot write", output_path);
    }
    return decision;
}

struct shared {
    const QicRuleSet *rules;
    char **lines;
    char **expected_decisions;
    int count;
    int mismatches;
};

/* Judges every line again and compares with the first, single-threaded, decisions. */
static void *judge_again(void *arg) {
    struct shared *shared = arg;
    for (int round = 0; round < 25; round++) {
        for (int i = 0; i < shared->count; i++) {
            char *decision = NULL, *err = NULL;
            QicStatus status =
                qic_evaluate_json(shared->rules, shared->lines[i], AS_OF, &decision, &err);
            if (status != QIC_STATUS_OK || !shared->expected_decisions[i] ||
                strcmp(decision, shared->expected_decisions[i]) != 0) {
                __atomic_add_fetch(&shared->mismatches, 1, __ATOMIC_RELAXED);
            }
            qic_string_free(decision);
            qic_string_free(err);
        }
    }
    return NULL;
}

static void check_errors(const QicRuleSet *rules) {
    char *out = NULL, *err = NULL;

    /* A misspelt field: an input error naming the line, column and field. */
    QicStatus status =
        qic_evaluate_json(rules, "{\n  \"teem\": []\n}", AS_OF, &out, &err);
    if (status != QIC_STATUS_INPUT_ERROR || out != NULL || !err ||
        !strstr(err, "application:2:") || !strstr(err, "unknown field `teem`")) {
        fail("misspelt field", err);
    }
    qic_string_free(err);

    /* Not JSON at all. */
    status = qic_evaluate_json(rules, "not json", AS_OF, &out, &err);
    if (status != QIC_STATUS_INPUT_ERROR || !err || !strstr(err, "application:1:")) {
        fail("not json", err);
    }
    qic_string_free(err);

    /* Unusable arguments. */
    status = qic_evaluate_json(rules, "{}", "21/10/2022", &out, &err);
    if (status != QIC_STATUS_INVALID_ARGUMENT || !err || !strstr(err, "YYYY-MM-DD")) {
        fail("bad date", err);
    }
    qic_string_free(err);
    status = qic_evaluate_json(NULL, "{}", AS_OF, &out, &err);
    if (status != QIC_STATUS_INVALID_ARGUMENT || !err || !strstr(err, "rules is NULL")) {
        fail("null rules", err);
    }
    qic_string_free(err);
    status = qic_evaluate_json(rules, "{\"cohort\": \"\xff\"}", AS_OF, &out, &err);
    if (status != QIC_STATUS_INVALID_ARGUMENT || !err || !strstr(err, "not UTF-8")) {
        fail("not utf-8", err);
    }
    qic_string_free(err);
    /* No place for the error message: the status still says what happened. */
    if (qic_evaluate_json(rules, "[]", AS_OF, &out, NULL) != QIC_STATUS_INPUT_ERROR || out) {
        fail("error without a message slot", NULL);
    }

    /* Rule sets. */
    QicRuleSet *other = NULL;
    status = qic_ruleset_from_preset("no-such-preset", &other, &err);
    if (status != QIC_STATUS_INPUT_ERROR || other != NULL || !err ||
        !strstr(err, PRESET)) {
        fail("unknown preset", err);
    }
    qic_string_free(err);
    status = qic_ruleset_from_toml(
        "id = \"x\"\nversion = \"1\"\nname = \"X\"\nadmits = \"x\"\n\n[[rules]]\n"
        "rule = \"team.size\"\nseverity = \"required\"\ncitation = \"c\"\nmin = 3\nmaximum = 7\n",
        &other, &err);
    if (status != QIC_STATUS_INPUT_ERROR || !err || !strstr(err, "rules[0] (`team.size`)") ||
        !strstr(err, "maximum")) {
        fail("misspelt rule parameter", err);
    }
    qic_string_free(err);
    status = qic_ruleset_from_toml(
        "id = \"x\"\nversion = \"1\"\nname = \"X\"\nadmits = \"x\"\n\n[[rules]]\n"
        "rule = \"team.size\"\nseverity = \"required\"\ncitation = \"c\"\nmin = 3\nmax = 7\n",
        &other, &err);
    if (status != QIC_STATUS_OK || !other) {
        fail("rule set from toml", err);
    }
    qic_string_free(err);
    qic_ruleset_free(other);
    qic_ruleset_free(NULL);
    qic_string_free(NULL);
}

static void check_chart(void) {
    char *out = NULL, *err = NULL;
    QicStatus status = qic_chart_json(
        "{\"chart\": \"p\", \"y\": [3, 5, 2, 4, 6, 3, 1, 2], \"n\": [40, 52, 38, 45, 60, 41, 39, 44],"
        " \"options\": {\"freeze\": 4, \"rules\": \"ihi\"}}",
        &out, &err);
    if (status != QIC_STATUS_OK || !strstr(out, "\"chart\":\"p\"") || !strstr(out, "\"points\":[")) {
        fail("p chart", err ? err : out);
    }
    qic_string_free(out);
    qic_string_free(err);

    status = qic_chart_json("{\"chart\": \"p\", \"y\": [3], \"n\": [2]}", &out, &err);
    if (status != QIC_STATUS_INPUT_ERROR || !err || !strstr(err, "row 1, y")) {
        fail("numerator above denominator", err);
    }
    qic_string_free(err);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s EXAMPLES_DATA_DIR OUTPUT_DIR\n", argv[0]);
        return 2;
    }
    const char *data = argv[1], *output = argv[2];
    char path[4096];

    printf("qic %s\n", qic_version());
    QicRuleSet *rules = NULL;
    char *err = NULL;
    if (qic_ruleset_from_preset(PRESET, &rules, &err) != QIC_STATUS_OK) {
        fail("preset", err);
        qic_string_free(err);
        return 1;
    }

    /* examples/data/README.md: the eight lines of applications.jsonl as of the deadline day. */
    static const char *expected[] = {
        "eligible",     "not_eligible",         "not_eligible", "incomplete",
        "offered_other_cohort", "not_eligible", "eligible",     "not_eligible",
    };
    const int expected_count = (int)(sizeof expected / sizeof expected[0]);

    snprintf(path, sizeof path, "%s/applications.jsonl", data);
    char *jsonl = read_file(path);
    if (!jsonl) {
        fail("cannot read", path);
        return 1;
    }
    char *lines[MAX_LINES];
    char *decisions[MAX_LINES];
    int count = 0;
    for (char *line = strtok(jsonl, "\n"); line && count < MAX_LINES; line = strtok(NULL, "\n")) {
        lines[count++] = line;
    }
    if (count != expected_count) {
        fail("applications.jsonl", "expected eight lines");
    }
    for (int i = 0; i < count && i < expected_count; i++) {
        snprintf(path, sizeof path, "%s/line-%d.json", output, i + 1);
        decisions[i] = judge(rules, lines[i], expected[i], path);
        printf("line %d: %s\n", i + 1, expected[i]);
    }

    snprintf(path, sizeof path, "%s/application-complete.json", data);
    char *complete = read_file(path);
    if (!complete) {
        fail("cannot read", path);
    } else {
        snprintf(path, sizeof path, "%s/application-complete.json", output);
        qic_string_free(judge(rules, complete, "eligible", path));
        free(complete);
    }

    check_errors(rules);
    check_chart();

    /* Four threads share the rule set and must give the same bytes. */
    struct shared shared = {rules, lines, decisions, count < expected_count ? count : expected_count, 0};
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        if (pthread_create(&threads[t], NULL, judge_again, &shared) != 0) {
            fail("pthread_create", NULL);
            return 1;
        }
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
    }
    if (shared.mismatches != 0) {
        fail("threads", "a decision differed from the single-threaded one");
    }

    for (int i = 0; i < shared.count; i++) {
        qic_string_free(decisions[i]);
    }
    qic_ruleset_free(rules);
    free(jsonl);
    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}

/* test_hubcli.c — the hub's command line: defaults, every option, the errors, and the
 * subcommand table. */
#include "tests/unit/check.h"
#include "hub/cli/commands.h"
#include "hub/cli/replies.h"
#include "hub/cli/hubcli.h"
#include "hub/cli/feed.h"
#include "hub/cli/audit_cmd.h"
#include "hub/cli/report.h"
#include "hub/store/import.h"

#include <stdlib.h>
#include <string.h>

static int parse(hubcli_opts *o, char *err, const char *const *args)
{
    char *argv[64];
    int argc = 0;
    argv[argc++] = (char *)"agentdesk-hub";
    for (int i = 0; args[i]; i++)
        argv[argc++] = (char *)args[i];
    argv[argc] = NULL;
    return hubcli_parse(argc, argv, o, err, 200);
}

static void test_defaults(void)
{
    hubcli_opts o;
    char err[200];
    const char *none[] = {NULL};
    CHECK_INT(parse(&o, err, none), 0);
    CHECK_STR(o.host, "127.0.0.1");
    CHECK_INT(o.port, 7300);
    CHECK(o.db == NULL);
    CHECK(o.data_dir != NULL);
    CHECK(!o.demo);
    CHECK_INT(o.idle_secs, 60);
    CHECK_STR(o.cl_agent, "");
    CHECK_INT(o.max_connections, 4096);
    CHECK_INT(o.max_connections_per_token, 32);
    hubcli_free(&o);
}

static void test_all_options(void)
{
    hubcli_opts o;
    char err[200];
    const char *args[] = {"--listen", "0.0.0.0:9001", "--db", "/tmp/x.db", "--data=/d", "--record-dir", "/r",
                          "--tls-cert", "c.pem", "--tls-key", "k.pem", "--log", "/tmp/l", "--demo",
                          "--seed", "7", "--idle-timeout", "10", "--outbox-kib", "64", "--outbox-frames", "9",
                          "--flood", "5", "--ingest-flood", "6", "--contactlens-agent", "agent-3",
                          "--contactlens-queue", "q", "--contactlens-customer", "C-1",
                          "--max-connections", "40", "--max-connections-per-token", "3", NULL};
    CHECK_INT(parse(&o, err, args), 0);
    CHECK_STR(o.host, "0.0.0.0");
    CHECK_INT(o.port, 9001);
    CHECK_STR(o.db, "/tmp/x.db");
    CHECK_STR(o.data_dir, "/d");
    CHECK_STR(o.record_dir, "/r");
    CHECK_STR(o.tls_cert, "c.pem");
    CHECK_STR(o.log_path, "/tmp/l");
    CHECK(o.demo);
    CHECK_INT(o.seed, 7);
    CHECK_INT(o.idle_secs, 10);
    CHECK_INT(o.outbox_bytes, 64 * 1024);
    CHECK_INT(o.outbox_frames, 9);
    CHECK_INT(o.flood_per_sec, 5);
    CHECK_INT(o.ingest_flood_per_sec, 6);
    CHECK_STR(o.cl_agent, "agent-3");
    CHECK_STR(o.cl_queue, "q");
    CHECK_STR(o.cl_customer, "C-1");
    CHECK_INT(o.max_connections, 40);
    CHECK_INT(o.max_connections_per_token, 3);
    hubcli_free(&o);
}

static void test_errors(void)
{
    static const char *const bad[][4] = {
        {"--nope", NULL},
        {"--listen", NULL},
        {"--listen", "7300", NULL},
        {"--listen", "host:99999", NULL},
        {"--listen", ":80", NULL},
        {"--tls-cert", "c.pem", NULL},
        {"--demo=yes", NULL},
        {"--idle-timeout", "-3", NULL},
        {"--outbox-kib", "lots", NULL},
        {"--max-connections", "0", NULL},
        {"--max-connections-per-token", "many", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hubcli_opts o;
        char err[200] = "";
        CHECK_INT(parse(&o, err, bad[i]), -1);
        CHECK(strlen(err) > 0);
        hubcli_free(&o);
    }
}

static void test_listen_forms(void)
{
    char host[64];
    int port;
    CHECK_INT(hubcli_parse_listen("[::1]:7301", host, sizeof host, &port), 0);
    CHECK_STR(host, "::1");
    CHECK_INT(port, 7301);
    CHECK_INT(hubcli_parse_listen("localhost:0", host, sizeof host, &port), 0);
    CHECK_INT(port, 0);
    CHECK_INT(hubcli_parse_listen("localhost:", host, sizeof host, &port), -1);
}

/* Every subcommand is a row of one table: found by name, run by its function, and listed
 * by --help with its arguments; anything else is left to the server's options. */
static void test_subcommand_table(void)
{
    size_t rows = 0;
    for (const hub_command *c = hub_commands; c->name; c++) {
        rows++;
        CHECK(c->run != NULL);
        CHECK(c->summary && c->summary[0]);
        CHECK(hub_command_find(c->name) == c);
    }
    CHECK_INT(rows, 6);
    CHECK(hub_command_find("feed")->run == feed_main);
    CHECK(hub_command_find("audit")->run == audit_main);
    CHECK(hub_command_find("report")->run == report_main);
    CHECK(hub_command_find("import")->run == import_main);
    CHECK(hub_command_find("replies")->run == replies_main);
    CHECK(hub_command_find("analyze") != NULL);
    CHECK(hub_command_find("--demo") == NULL);
    CHECK(hub_command_find("serve") == NULL);
    CHECK(hub_command_find(NULL) == NULL);

    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    hubcli_usage(out);
    fclose(out);
    for (const hub_command *c = hub_commands; c->name; c++) {
        char line[200];
        snprintf(line, sizeof line, "agentdesk-hub %s %s\n", c->name, c->summary);
        CHECK(strstr(text, line) != NULL);
    }
    CHECK(strstr(text, "usage: agentdesk-hub [options]\n") == text);
    free(text);
}

int main(void)
{
    RUN(test_defaults);
    RUN(test_all_options);
    RUN(test_errors);
    RUN(test_listen_forms);
    RUN(test_subcommand_table);
    return check_done("test_hubcli");
}

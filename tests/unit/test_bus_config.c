/* test_bus_config.c — `--bus URL` read into the shared log's settings: host, port and cluster
 * name, TLS (rediss://), the defaults, and what is refused with a reason (a password in the
 * URL, a bad port or name); and the --bus options of the command line that need --bus. */
#include "tests/unit/check.h"
#include "hub/core/eventlog_redis.h"
#include "hub/cli/hubcli.h"

#include <string.h>

static void test_full_url(void)
{
    bus_config c;
    char err[300] = "";
    CHECK_INT(bus_config_parse("redis://10.0.0.5:6380/floor-1", &c, err, sizeof err), 0);
    CHECK_STR(c.host, "10.0.0.5");
    CHECK_INT(c.port, 6380);
    CHECK_STR(c.name, "floor-1");
    CHECK_STR(c.password, "");
    CHECK(!c.tls.on);
}

static void test_tls_url(void)
{
    bus_config c;
    char err[300] = "";
    CHECK_INT(bus_config_parse("rediss://redis.internal:6380/floor", &c, err, sizeof err), 0);
    CHECK(c.tls.on);
    CHECK_STR(c.host, "redis.internal");
    CHECK_INT(c.port, 6380);
    CHECK_STR(c.name, "floor");
    CHECK_STR(c.tls.ca_file, "");
}

static void test_defaults(void)
{
    bus_config c;
    char err[300] = "";
    CHECK_INT(bus_config_parse("redis://redis.internal", &c, err, sizeof err), 0);
    CHECK_STR(c.host, "redis.internal");
    CHECK_INT(c.port, 6379);
    CHECK_STR(c.name, "default");
    CHECK_INT(c.max_len, 1000000);
    CHECK_INT(c.max_age_ms, 7LL * 24 * 3600 * 1000);
    CHECK(c.lock_ttl_ms > 0 && c.lease_ms > c.lock_ttl_ms);
    CHECK_INT(bus_config_parse("redis://h:7000/", &c, err, sizeof err), 0);
    CHECK_STR(c.name, "default");
}

static void refused(const char *url, const char *why)
{
    bus_config c;
    char err[300] = "";
    CHECK_INT(bus_config_parse(url, &c, err, sizeof err), -1);
    if (!strstr(err, why))
        fprintf(stderr, "  %s: \"%s\" does not say \"%s\"\n", url, err, why);
    CHECK(strstr(err, why) != NULL);
}

static void test_refused(void)
{
    refused("rediss://user:pw@h:6379/x", "password");
    refused("redis://user:secret@h:6379/x", "password");
    refused("http://h:6379", "redis://HOST:PORT");
    refused("redis://h:0/x", "port");
    refused("redis://h:70000/x", "port");
    refused("redis://h:12ab/x", "port");
    refused("redis://:6379/x", "host");
    refused("redis:///x", "redis://HOST:PORT");
    refused("redis://h:6379/a b", "letters, digits");
    refused("redis://h:6379/a:b", "letters, digits");
    refused("redis://h:6379/0123456789012345678901234567890123456789012345678901234567890123456789",
            "at most");
}

static int parse(hubcli_opts *o, char *err, const char *const *args)
{
    char *argv[16];
    int argc = 0;
    argv[argc++] = (char *)"agentdesk-hub";
    for (int i = 0; args[i]; i++)
        argv[argc++] = (char *)args[i];
    argv[argc] = NULL;
    return hubcli_parse(argc, argv, o, err, 200);
}

static void test_options(void)
{
    hubcli_opts o;
    char err[200] = "";
    const char *with[] = {"--bus", "redis://127.0.0.1:6379/a", "--hub-name", "hub-a", "--bus-password-file",
                          "/run/secrets/redis", "--bus-max-len", "5000", "--bus-max-age", "3600", NULL};
    CHECK_INT(parse(&o, err, with), 0);
    CHECK_STR(o.bus_url, "redis://127.0.0.1:6379/a");
    CHECK_STR(o.hub_name, "hub-a");
    CHECK_STR(o.bus_password_file, "/run/secrets/redis");
    CHECK_INT(o.bus_max_len, 5000);
    CHECK_INT(o.bus_max_age_secs, 3600);
    hubcli_free(&o);
    const char *tls[] = {"--bus", "rediss://r:6379/a", "--bus-ca-file", "ca.pem", "--bus-cert", "hub.pem", "--bus-key",
                         "hub.key", NULL};
    CHECK_INT(parse(&o, err, tls), 0);
    CHECK_STR(o.bus_ca_file, "ca.pem");
    CHECK_STR(o.bus_cert, "hub.pem");
    CHECK_STR(o.bus_key, "hub.key");
    hubcli_free(&o);
    const char *half[] = {"--bus", "rediss://r:6379/a", "--bus-cert", "hub.pem", NULL};
    CHECK_INT(parse(&o, err, half), -1);
    CHECK(strstr(err, "go together") != NULL);
    hubcli_free(&o);
    const char *without[] = {"--hub-name", "hub-a", NULL};
    CHECK_INT(parse(&o, err, without), -1);
    CHECK(strstr(err, "need --bus") != NULL);
    hubcli_free(&o);
    const char *none[] = {NULL};
    CHECK_INT(parse(&o, err, none), 0);
    CHECK(o.bus_url == NULL);
    hubcli_free(&o);
}

int main(void)
{
    RUN(test_full_url);
    RUN(test_tls_url);
    RUN(test_defaults);
    RUN(test_refused);
    RUN(test_options);
    return check_done("test_bus_config");
}

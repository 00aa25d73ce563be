/* store_schema.h — ordered schema migrations of the hub database. */
#ifndef AGENTDESK_HUB_STORE_SCHEMA_H
#define AGENTDESK_HUB_STORE_SCHEMA_H

/* The newest schema version (the number of migrations). */
int store_schema_version(void);
/* The SQL of migration `version` (1-based), or NULL. */
const char *store_schema_migration(int version);

#endif

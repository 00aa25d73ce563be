/* report.h — `agentdesk-hub report`: how customers fared over a period, per queue or per
 * agent (handle and waiting time, sentiment uplift, share ending negative, repeat contacts
 * within 7 days), as a table, CSV or JSON. The figures are report_data.h's. */
#ifndef AGENTDESK_HUB_CLI_REPORT_H
#define AGENTDESK_HUB_CLI_REPORT_H

/* argv[0] = "report"; the exit status: 0, 1 (the database cannot be read), 2 (usage). */
int report_main(int argc, char **argv);

#endif

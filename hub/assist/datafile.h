/* datafile.h — reading the assist stage's JSON data files (data/checklists.json,
 * data/dispositions.json). */
#ifndef AGENTDESK_HUB_ASSIST_DATAFILE_H
#define AGENTDESK_HUB_ASSIST_DATAFILE_H

#include <jansson.h>
#include <stddef.h>

/* The parsed file (json_decref it), or NULL with "PATH: line N: reason" in err. */
json_t *datafile_load_json(const char *path, char *err, size_t errlen);

#endif

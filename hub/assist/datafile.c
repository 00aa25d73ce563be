/* datafile.c — reading the assist stage's JSON data files (see datafile.h). */
#include "hub/assist/datafile.h"

#include <stdio.h>

json_t *datafile_load_json(const char *path, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root)
        snprintf(err, errlen, "%s: line %d: %s", path, je.line, je.text);
    return root;
}

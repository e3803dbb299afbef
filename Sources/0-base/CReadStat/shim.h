#ifndef RCT_CREADSTAT_SHIM_H
#define RCT_CREADSTAT_SHIM_H

// ReadStat's one public header: the parser of .sav and .dta files and the writer of both. StatFiles is the
// only module that imports it.
#include <readstat.h>

#endif

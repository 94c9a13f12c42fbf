// zlib (Debian's zlib1g-dev), for gzip documents (Amazon's GZIP-compressed feed processing reports).
#include <zlib.h>

// Typed, non-variadic entry points over libcurl that Swift can call.
//
// Swift cannot call C variadic functions (`curl_easy_setopt`, `curl_multi_setopt`, `curl_easy_getinfo`), and it
// does not import alias macros such as `CURLVERSION_NOW`. Each shim below fixes the argument type of one variadic
// call so the compiler checks it on both sides. See shared/reference/swift-daemon.md §1.3 and F1, F11.
#pragma once

#include <curl/curl.h>
#include <dlfcn.h>
#include <signal.h>

// MARK: - Easy handle options

static inline CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// Strings are copied by libcurl (CURLOPT_URL, CURLOPT_CAINFO, ...), so the caller's buffer may go away afterwards.
static inline CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Opaque pointers (CURLOPT_PRIVATE, CURLOPT_WRITEDATA, CURLOPT_READDATA, CURLOPT_HEADERDATA).
static inline CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Header lists (CURLOPT_HTTPHEADER): libcurl keeps the pointer, the list must outlive the transfer.
static inline CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION share this signature.
static inline CURLcode ccurl_easy_setopt_write_function(CURL *handle, CURLoption option, curl_write_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_read_function(CURL *handle, curl_read_callback value) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, value);
}

// MARK: - Easy handle information

static inline CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// CURLINFO_PRIVATE hands back exactly the pointer given to CURLOPT_PRIVATE.
static inline CURLcode ccurl_easy_getinfo_private(CURL *handle, void **value) {
    char *pointer = NULL;
    CURLcode code = curl_easy_getinfo(handle, CURLINFO_PRIVATE, &pointer);
    *value = pointer;
    return code;
}

// MARK: - Multi handle

static inline CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/// The result of a finished transfer; Swift cannot reach into `CURLMsg`'s anonymous union.
static inline CURLcode ccurl_message_result(const CURLMsg *message) {
    return message->data.result;
}

// MARK: - Process-wide set-up

/// `curl_version_info(CURLVERSION_NOW)`: the macro is an alias Swift does not import.
static inline curl_version_info_data *ccurl_version_info_now(void) {
    return curl_version_info(CURLVERSION_NOW);
}

/// Initialises libcurl once per process.
///
/// Before `curl_global_init`, asks OpenSSL not to register its `atexit` cleanup
/// (`OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL)`), looked up with `dlsym` so there is no link-time dependency
/// on libcrypto. Without it OpenSSL can free its state before Swift tears down curl handles at exit, and libcurl then
/// crashes with a double free (swift-corelibs-foundation issue #5469, fixed the same way in PR #5474).
/// Also ignores SIGPIPE: with CURLOPT_NOSIGNAL the OpenSSL backend can raise it on a closed connection.
static inline CURLcode ccurl_global_init_once(void) {
    typedef int (*openssl_init_crypto_function)(unsigned long long options, const void *settings);
    const unsigned long long openssl_init_no_atexit = 0x00080000ULL;  // OPENSSL_INIT_NO_ATEXIT, OpenSSL >= 1.1.1b
    void *process = dlopen(NULL, RTLD_NOW);
    if (process != NULL) {
        openssl_init_crypto_function init_crypto =
            (openssl_init_crypto_function)dlsym(process, "OPENSSL_init_crypto");
        if (init_crypto != NULL) {
            init_crypto(openssl_init_no_atexit, NULL);
        }
        dlclose(process);
    }
    signal(SIGPIPE, SIG_IGN);
    return curl_global_init(CURL_GLOBAL_ALL);
}

#pragma once
#include <node_api.h>
#include <stdlib.h>

/** Adds Chromaprint's functions (fingerprinter.c) to the addon's exports. */
void define_fingerprinter(napi_env env, napi_value exports);

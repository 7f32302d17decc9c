// Entry point of the `sixg` executable; everything lives in the cli library so tests can call it.
#include "cli_app.h"

int main(int argc, char** argv) { return sixg::cli::run_cli(argc, argv); }

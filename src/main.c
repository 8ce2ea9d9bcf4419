/* wenyin's entry point: picks the subcommand, prints help and version, and
   turns the subcommand's result into the process exit code. */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char usage_text[] =
    "Usage: wenyin COMMAND [ARGS]\n"
    "\n"
    "Typesets Chinese civil-affairs publications (bulletins, award lists,\n"
    "reports) from XML templates and data into print-quality PDF.\n"
    "\n"
    "Commands:\n"
    "  render TEMPLATE [-d NAME=FILE]... [-p NAME=VALUE]... [-o OUT] [options]\n"
    "        Render one document. Each -d adds a data source under the name the\n"
    "        template uses: a .csv/.tsv file, an .xml file, a .md article or a\n"
    "        folder of .md articles. -p passes a template parameter.\n"
    "        OUT's extension picks the format: .pdf, .png (one file per page,\n"
    "        OUT-1.png, OUT-2.png, ...) or .svg (likewise).\n"
    "        Options: --page N    write only page N (PNG/SVG) to OUT itself\n"
    "                 --dpi N     PNG resolution (default 96)\n"
    "                 --strict    treat warnings (e.g. font fallback) as errors\n"
    "  check FILE...\n"
    "        Validate templates and data files without rendering.\n"
    "  fonts\n"
    "        Show which face each font role resolves to.\n"
    "\n"
    "Options: --help, --version\n"
    "\n"
    "Diagnostics: FILE:LINE:COL: error: MESSAGE on stderr.\n"
    "Exit status: 0 success, 1 error in the inputs, 2 usage error,\n"
    "3 I/O or internal failure.\n"
    "Environment: SOURCE_DATE_EPOCH fixes the PDF creation date;\n"
    "WENYIN_DATADIR points at the folder holding templates/ and fonts/;\n"
    "WENYIN_THREADS=1 lays out on one thread only.\n";

/* cairo's PDF font subsetter copies each CJK face's whole CFF table
   (20–27 MB) twice: when the face is first shown, to see whether it is
   CID-keyed, and again when the file is finished. Fresh memory for each
   copy costs a page fault per 4 KB, a tenth of the run; blocks below
   LARGE_BLOCK_BYTES therefore come from the heap, and up to
   KEPT_FREE_BYTES freed at its top stay there for the next copy instead of
   going back to the system. */
#define LARGE_BLOCK_BYTES (64 * 1024 * 1024)
#define KEPT_FREE_BYTES (32 * 1024 * 1024)

int main(int argc, char **argv)
{
    mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK_BYTES);
    mallopt(M_TRIM_THRESHOLD, KEPT_FREE_BYTES);
    if (argc < 2) {
        fputs(usage_text, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("wenyin %s\n", WY_VERSION);
        return 0;
    }
    if (strcmp(cmd, "render") == 0)
        return wy_cli_render(argc - 2, argv + 2);
    if (strcmp(cmd, "check") == 0)
        return wy_cli_check(argc - 2, argv + 2);
    if (strcmp(cmd, "fonts") == 0)
        return wy_cli_fonts(argc - 2, argv + 2);
    fprintf(stderr, "wenyin: error: unknown command '%s' (try wenyin --help)\n", cmd);
    return 2;
}

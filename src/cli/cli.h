/* The subcommands behind `wenyin COMMAND`. Each takes the arguments after
   the command name and returns a process exit code (0 ok, 1 bad input,
   2 usage, 3 I/O or internal); diagnostics go to stderr. Only main.c
   calls exit. */
#ifndef WY_CLI_H
#define WY_CLI_H

int wy_cli_render(int argc, char **argv);
int wy_cli_check(int argc, char **argv);
int wy_cli_fonts(int argc, char **argv);

#endif

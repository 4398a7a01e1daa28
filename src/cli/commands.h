/*
 * commands.h - the subcommands of the llmcost CLI, one cmd_<name>.c each.
 * Each takes argv with argv[0] = the subcommand name and returns the
 * process exit code (0 ok, 1 failure, 2 usage or input error).
 */
#ifndef LLMCOST_CLI_COMMANDS_H
#define LLMCOST_CLI_COMMANDS_H

int lc_cmd_eval(int argc, char **argv);
int lc_cmd_task(int argc, char **argv);
int lc_cmd_catalog(int argc, char **argv);
int lc_cmd_sweep(int argc, char **argv);
int lc_cmd_info(int argc, char **argv);
int lc_cmd_slice(int argc, char **argv);
int lc_cmd_sensitivity(int argc, char **argv);
int lc_cmd_merge(int argc, char **argv);

#endif

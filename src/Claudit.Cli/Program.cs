using Claudit.Cli;

return await ClauditCli.RunAsync(args, CliConsole.System).ConfigureAwait(false);

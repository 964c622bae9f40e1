using System.Runtime.InteropServices;
using Claudit.Cli;

// Ctrl+C or SIGTERM asks the running command to stop (servers drain their records first);
// a second signal ends the process at once.
using var stopping = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = !stopping.IsCancellationRequested;
    stopping.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await ClauditCli.RunAsync(args, CliConsole.System, stopping.Token).ConfigureAwait(false);

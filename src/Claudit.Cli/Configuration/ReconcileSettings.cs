using Claudit.Server.Reconcile;

namespace Claudit.Cli.Configuration;

/// <summary>
/// <c>serve --admin-key-env NAME</c>: the name of the variable holding the Admin key, never the key itself (a key
/// in a flag or a settings file would end up in shell history and config repositories).
/// </summary>
internal static class ReconcileSettings
{
    public static BackgroundReconcileOptions? Resolve(Setting<string?> variable, Func<string, string?> environment)
    {
        if (variable.Value is not { } name)
        {
            return null;
        }

        return environment(name) is { Length: > 0 } key
            ? new BackgroundReconcileOptions(key)
            : throw new CliException($"{variable.Origin} names the environment variable {name}, which is not set: put the Admin API key (sk-ant-admin01-…) there.");
    }
}

namespace Claudit.Server;

/// <summary>
/// Who a gateway is to a shared store: an id made once per data directory (<c>instance-id</c>) and kept, so a
/// restarted gateway finds its own journal positions again, and two gateways never take each other's.
/// </summary>
internal static class GatewayInstance
{
    public const string FileName = "instance-id";

    public static string Id(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }

        var id = $"{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..12]}";
        File.WriteAllText(path, id + "\n");
        return id;
    }
}

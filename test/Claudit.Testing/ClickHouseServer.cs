using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Claudit.Testing;

/// <summary>
/// A real ClickHouse server (Debian's <c>clickhouse-server</c>, 18.16 on this machine) as a child process on
/// free ports, with its configuration, data and logs in a temporary directory; killed and removed on dispose.
/// One user, <c>claudit</c>, with a password, so the tests use credentials as a deployment does. It can be
/// stopped and started again on the same ports and data (the outage tests).
/// </summary>
public sealed class ClickHouseServer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/clickhouse-server";
    public const string User = "claudit";
    public const string Password = "ch-test-pass";

    private readonly string _dir;
    private Process? _process;

    private ClickHouseServer(string dir, int httpPort, int tcpPort)
    {
        _dir = dir;
        HttpPort = httpPort;
        TcpPort = tcpPort;
    }

    public int HttpPort { get; }

    public int TcpPort { get; }

    /// <summary>The store URL for <paramref name="database"/>: <c>clickhouse://claudit:…@127.0.0.1:PORT/DB</c>.</summary>
    public string Url(string database) => $"clickhouse://{User}:{Password}@127.0.0.1:{HttpPort}/{database}";

    public static async Task<ClickHouseServer> StartAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: these tests run a real ClickHouse. Run .ci/run (it installs it) or `apt-get install -y clickhouse-server`.");
        }

        var dir = Path.Combine(Path.GetTempPath(), "claudit-ch-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        Directory.CreateDirectory(Path.Combine(dir, "tmp"));
        Directory.CreateDirectory(Path.Combine(dir, "log"));
        var server = new ClickHouseServer(dir, FreePort(), FreePort());
        await File.WriteAllTextAsync(Path.Combine(dir, "config.xml"), $"""
            <?xml version="1.0"?>
            <yandex>
                <logger><level>warning</level><log>{dir}/log/server.log</log><errorlog>{dir}/log/error.log</errorlog><console>0</console></logger>
                <http_port>{server.HttpPort}</http_port>
                <tcp_port>{server.TcpPort}</tcp_port>
                <listen_host>127.0.0.1</listen_host>
                <path>{dir}/data/</path>
                <tmp_path>{dir}/tmp/</tmp_path>
                <users_config>{dir}/users.xml</users_config>
                <default_profile>default</default_profile>
                <default_database>default</default_database>
                <mark_cache_size>268435456</mark_cache_size>
                <uncompressed_cache_size>0</uncompressed_cache_size>
            </yandex>
            """);
        await File.WriteAllTextAsync(Path.Combine(dir, "users.xml"), $"""
            <?xml version="1.0"?>
            <yandex>
                <profiles><default><max_memory_usage>2000000000</max_memory_usage><max_threads>2</max_threads></default></profiles>
                <users>
                    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
                    <{User}><password>{Password}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></{User}>
                </users>
                <quotas><default></default></quotas>
            </yandex>
            """);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its ports and data; returns once it answers.</summary>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add($"--config-file={_dir}/config.xml");
        _process = Process.Start(info) ?? throw new InvalidOperationException("clickhouse-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"clickhouse-server exited ({_process.ExitCode}): {ErrorLog()}");
            }

            try
            {
                var answer = await client.GetStringAsync(new Uri($"http://127.0.0.1:{HttpPort}/ping"));
                if (answer.StartsWith("Ok", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"clickhouse-server did not answer on port {HttpPort} within 60 s: {ErrorLog()}");
    }

    /// <summary>Kills the server (as an outage would), keeping its data.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    private string ErrorLog()
    {
        var path = Path.Combine(_dir, "log", "error.log");
        return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(5)) : "(no error log)";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

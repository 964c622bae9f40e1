using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Claudit.Server.Tests.Support;

/// <summary>Every log line of a gateway (any category, any level), for tests that check what the logs never hold.</summary>
internal sealed class CollectingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Collecting(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Collecting(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
    }
}

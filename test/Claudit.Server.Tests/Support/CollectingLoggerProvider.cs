using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Claudit.Server.Tests.Support;

/// <summary>Keeps every log line a gateway writes (level, category, text), so tests can read what an operator would see.</summary>
internal sealed class CollectingLoggerProvider(ConcurrentQueue<LogLine> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Collecting(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Collecting(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new LogLine(logLevel, category, $"{formatter(state, exception)} {exception}"));
    }
}

internal sealed record LogLine(LogLevel Level, string Category, string Text)
{
    public override string ToString() => $"{Category} {Level}: {Text}";
}

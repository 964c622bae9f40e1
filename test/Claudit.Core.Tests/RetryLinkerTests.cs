using Claudit.Core.Capture;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Core.Tests;

public sealed class RetryLinkerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_retry_takes_the_failed_first_attempt_as_parent()
    {
        var linker = new RetryLinker(_time);
        var first = Guid.NewGuid();

        Assert.Null(linker.Link(first, 0, failed: true, 1, "sha256:p", "m"));
        Assert.Equal(first, linker.Link(Guid.NewGuid(), 1, failed: true, 1, "sha256:p", "m"));
        Assert.Equal(first, linker.Link(Guid.NewGuid(), 2, failed: false, 1, "sha256:p", "m"));
    }

    [Fact]
    public void Other_callers_prompts_and_models_do_not_link_and_successes_are_not_remembered()
    {
        var linker = new RetryLinker(_time);
        linker.Link(Guid.NewGuid(), 0, failed: true, 1, "sha256:p", "m");
        linker.Link(Guid.NewGuid(), 0, failed: false, 1, "sha256:ok", "m");

        Assert.Null(linker.Link(Guid.NewGuid(), 1, false, 2, "sha256:p", "m"));
        Assert.Null(linker.Link(Guid.NewGuid(), 1, false, 1, "sha256:q", "m"));
        Assert.Null(linker.Link(Guid.NewGuid(), 1, false, 1, "sha256:p", "other"));
        Assert.Null(linker.Link(Guid.NewGuid(), 1, false, 1, "sha256:ok", "m"));
        Assert.Null(linker.Link(Guid.NewGuid(), null, false, 1, "sha256:p", "m"));
        Assert.Equal(1, linker.Count);
    }

    [Fact]
    public void Links_expire_after_the_window_and_memory_stays_bounded()
    {
        var linker = new RetryLinker(_time, capacity: 100, window: TimeSpan.FromMinutes(1));
        var first = Guid.NewGuid();
        linker.Link(first, 0, true, 1, "sha256:p", "m");
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(linker.Link(Guid.NewGuid(), 1, false, 1, "sha256:p", "m"));

        for (var i = 0; i < 1000; i++)
        {
            linker.Link(Guid.NewGuid(), 0, true, 1, $"sha256:{i}", "m");
        }

        Assert.True(linker.Count <= 100, $"{linker.Count} remembered");
        _time.Advance(TimeSpan.FromMinutes(2));
        linker.Link(Guid.NewGuid(), 0, true, 1, "sha256:new", "m");
        Assert.Equal(1, linker.Count); // expired entries were swept to make room
    }
}

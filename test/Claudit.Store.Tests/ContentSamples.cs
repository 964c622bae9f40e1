using Claudit.Core.Records;

namespace Claudit.Store.Tests;

/// <summary>Captured content as a gateway stores it (already redacted), for both engines' content tests.</summary>
internal static class ContentSamples
{
    public static CallContent Of(Guid id, DateTimeOffset start, string output = "It is 21.") => new()
    {
        CallId = id,
        StartTime = start,
        Model = "claude-haiku-4-5",
        Messages = [new ContentMessage("system", "Be terse."), new ContentMessage("user", "Line one\nline \"two\"\tand ünïcode — [EMAIL]")],
        Output = output,
    };

    /// <summary>Writes two calls' content, then the first again changed (a replay): both read back as first written, an unknown id not at all.</summary>
    public static async Task AssertKeptOnceAsync(ICallContentStore store, CallContent first, CallContent second)
    {
        await store.AppendContentAsync([first, second]);
        await store.AppendContentAsync([first with { Output = "a replay must not replace what is stored" }]);
        var found = await store.GetContentAsync([first.CallId, second.CallId, Guid.NewGuid()]);

        Assert.Equal(2, found.Count);
        AssertSame(first, found[first.CallId]);
        AssertSame(second, found[second.CallId]);
    }

    /// <summary>Equal as stored: the start kept to the microsecond at least.</summary>
    public static void AssertSame(CallContent expected, CallContent actual)
    {
        Assert.Equal(expected.CallId, actual.CallId);
        Assert.InRange((expected.StartTime - actual.StartTime).Ticks, 0, 9);
        Assert.Equal(expected.Model, actual.Model);
        Assert.Equal(expected.Messages, actual.Messages);
        Assert.Equal(expected.Output, actual.Output);
    }
}

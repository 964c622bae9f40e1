using Claudit.Core.Records;

namespace Claudit.Core.Tests;

public class SecretScrubberTests
{
    [Theory]
    [InlineData("invalid x-api-key: sk-ant-api03-" + "AbCdEfGhIjKlMnOpQrStUvWxYz012345", "sk-ant-api03")]
    [InlineData("Authorization: Bearer sk-ant-oat01-abcdefghijklmnop", "sk-ant-oat01")]
    [InlineData("token Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "eyJhbGciOiJIUzI1NiJ9")]
    [InlineData("{\"api_key\": \"abcdefgh12345678\"}", "abcdefgh12345678")]
    public void Secrets_are_redacted(string text, string secret)
    {
        var scrubbed = SecretScrubber.Scrub(text)!;

        Assert.DoesNotContain(secret, scrubbed, StringComparison.Ordinal);
        Assert.Contains(SecretScrubber.Redacted, scrubbed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Overloaded")]
    [InlineData("prompt is too long: 250000 tokens > 200000 maximum")]
    [InlineData(null)]
    public void Ordinary_messages_are_unchanged(string? text) => Assert.Equal(text, SecretScrubber.Scrub(text));
}

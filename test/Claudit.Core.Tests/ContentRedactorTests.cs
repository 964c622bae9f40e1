using Claudit.Core.Records;

namespace Claudit.Core.Tests;

public class ContentRedactorTests
{
    [Theory]
    [InlineData("Mail jane.doe+work@example.co.uk today", "Mail [EMAIL] today")]
    [InlineData("Card 4111 1111 1111 1111 expires", "Card [CARD] expires")]
    [InlineData("Card 4111-1111-1111-1111.", "Card [CARD].")]
    [InlineData("Call +44 20 7946 0958 or (555) 123-4567", "Call [PHONE] or [PHONE]")]
    [InlineData("Reach me on +1 415 555 0100.", "Reach me on [PHONE].")]
    [InlineData("key sk-ant-api03-abcdefghijklmnop and AKIAIOSFODNN7EXAMPLE", "key [REDACTED] and [REDACTED]")]
    [InlineData("token ghp_abcdefghijklmnopqrstuvwxyz0123456789AB", "token [REDACTED]")]
    [InlineData("Authorization: Bearer abc.def.ghijklmnop", "Authorization: Bearer [REDACTED]")]
    public void Personal_data_and_credentials_are_replaced(string text, string expected) =>
        Assert.Equal(expected, ContentRedactor.Redact(text));

    [Theory]
    [InlineData("Order 1234567890123 shipped in 2026 for $1,250.00")] // 13 digits failing Luhn: not a card
    [InlineData("Version 10.0.3 of the package, 42 items")]
    [InlineData("")]
    public void Ordinary_text_is_left_alone(string text) => Assert.Equal(text, ContentRedactor.Redact(text));
}

using Claudit.Core.Telemetry;

namespace Claudit.Core.Tests;

public sealed class TraceParentTests
{
    [Theory]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331")]
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-00", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01", null, null)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333-01", null, null)]
    [InlineData("garbage", null, null)]
    [InlineData("", null, null)]
    [InlineData(null, null, null)]
    public void Well_formed_values_give_lower_case_ids_and_anything_else_none(string? header, string? trace, string? span) =>
        Assert.Equal((trace, span), TraceParent.Parse(header));
}

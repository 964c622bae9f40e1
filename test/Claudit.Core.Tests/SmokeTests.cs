using Claudit.Core.Pricing;

namespace Claudit.Core.Tests;

public class SmokeTests
{
    [Fact]
    public void Embedded_price_table_loads_with_its_date()
    {
        Assert.Equal("2026-08-07", PriceTable.Default.Version);
    }
}

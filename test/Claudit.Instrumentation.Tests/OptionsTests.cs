using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Claudit.Instrumentation.Tests;

/// <summary>Options are checked when the host starts; the clock and prices come from the services; the chat middleware is configured where it is added.</summary>
public class OptionsTests(MockFixture mock) : IClassFixture<MockFixture>
{
    [Fact]
    public async Task A_bad_option_stops_the_host_at_start_with_a_message_naming_it()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddClaudit(o =>
        {
            o.BatchSize = 0;
            o.QueueCapacity = 100;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("ClauditOptions.BatchSize must be from 1 to QueueCapacity (100), not 0", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(ClauditOptions.QueueCapacity))]
    [InlineData(nameof(ClauditOptions.MaxCaptureBytes))]
    [InlineData(nameof(ClauditOptions.RefuseAboveContextShare))]
    [InlineData(nameof(ClauditOptions.DrainTimeout))]
    public void Each_range_is_checked(string setting)
    {
        var services = new ServiceCollection().AddClaudit(o =>
        {
            switch (setting)
            {
                case nameof(ClauditOptions.QueueCapacity): o.QueueCapacity = 0; break;
                case nameof(ClauditOptions.MaxCaptureBytes): o.MaxCaptureBytes = 10; break;
                case nameof(ClauditOptions.RefuseAboveContextShare): o.RefuseAboveContextShare = -1; break;
                default: o.DrainTimeout = TimeSpan.Zero; break;
            }
        }).Services;
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ClauditOptions>>().Value);
        Assert.Contains($"ClauditOptions.{setting} must be", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_price_table_is_taken_from_the_services()
    {
        var table = PriceTable.Default;
        var doubled = new PriceTable("2099-01-01", [.. table.Models.Select(m => m with { Rates = new TokenRates(m.Rates.Input * 2, m.Rates.CacheWrite5m * 2, m.Rates.CacheWrite1h * 2, m.Rates.CacheRead * 2, m.Rates.Output * 2) })],
            table.BatchMultiplier, table.WebSearchUsdPer1000, table.WebFetchUsdPer1000);
        await using var h = Harness.Create(mock, b => b.UsePrices(doubled));
        using var client = h.Client();
        await client.Messages.Create(Harness.Params("Priced by the services' table."));

        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        Assert.Equal("2099-01-01", record.Cost!.PriceTableVersion);
        Assert.Equal(CostCalculator.Default.Price(record.PricedModel, record.Usage).TotalUsd * 2, record.Cost.TotalUsd);
    }

    [Fact]
    public async Task UseClaudit_configures_the_client_and_answers_GetService()
    {
        await using var h = Harness.Create(mock);
        using var client = h.Client();
        var chat = new ChatClientBuilder(client.AsIChatClient(Harness.Model, 256))
            .UseClaudit(c => c.Tags = new CallTags { Feature = "summarise" })
            .Build(h.Services);

        var claudit = chat.GetService<ClauditChatClient>();
        Assert.NotNull(claudit);
        Assert.Equal("summarise", claudit.Tags!.Feature);
        Assert.NotNull(chat.GetService<ChatClientMetadata>()); // passed down to the SDK's client

        await chat.GetResponseAsync("Tagged by the client's configuration.");
        Assert.Equal("summarise", Assert.Single(await h.Sink.WaitForAsync(1)).Tags.Feature);
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Spectre.Console;

namespace Claudit.Cli.Commands;

/// <summary>
/// <c>claudit price [FILE]</c>: the cost of one response, per bucket. Reads a Messages response body
/// (JSON), a saved SSE stream, or a bare usage object with <c>--model</c>.
/// </summary>
internal static class PriceCommand
{
    private const int MaxInputBytes = 64 * 1024 * 1024;

    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file")
        {
            Description = "A response body (JSON), a saved SSE stream, or a usage object; '-' or nothing reads standard input.",
            DefaultValueFactory = _ => "-",
        };
        var model = new Option<string?>("--model", "-m") { Description = "The model to price at (required for a bare usage object; overrides the response's model).", HelpName = "MODEL" };
        var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var tier = new Option<string?>("--service-tier") { Description = "Override the usage's service tier (batch = 50%).", HelpName = "TIER" };
        var geo = new Option<string?>("--inference-geo") { Description = "Override the usage's inference_geo (us = 1.1x on Claude 4.6+).", HelpName = "GEO" };
        var speed = new Option<string?>("--speed") { Description = "The request's speed (fast = fast-mode rates where offered).", HelpName = "SPEED" };
        var prices = PriceTableOption.Create();
        var command = new Command("price", "Price one Anthropic response, SSE stream or usage object, bucket by bucket.")
        {
            file, model, format, tier, geo, speed, prices,
        };

        command.SetAction(async (parse, ct) =>
        {
            var bytes = await ReadInputAsync(parse.GetValue(file)!, console, ct).ConfigureAwait(false);
            var (usage, responseModel, stopReason, complete) = Interpret(bytes, parse.GetValue(speed));
            var pricedModel = parse.GetValue(model) ?? responseModel
                ?? throw new CliException("the input names no model: pass --model (a bare usage object always needs it).");
            usage = usage with
            {
                ServiceTier = parse.GetValue(tier) ?? usage.ServiceTier,
                InferenceGeo = parse.GetValue(geo) ?? usage.InferenceGeo,
            };
            var calculator = new CostCalculator(PriceTableOption.Load(parse.GetValue(prices)));
            var cost = calculator.Price(pricedModel, usage);
            if (parse.GetValue(format) == "json")
            {
                WriteJson(console.Out, pricedModel, usage, cost, stopReason, complete);
            }
            else
            {
                WriteTable(console.CreateAnsi(), pricedModel, usage, cost, calculator.Table, stopReason, complete);
            }

            return cost.Priced ? ClauditCli.Ok : ClauditCli.Failure;
        });
        return command;
    }

    private static async Task<byte[]> ReadInputAsync(string path, CliConsole console, CancellationToken ct)
    {
        try
        {
            await using var stream = path == "-" ? console.OpenInput() : File.OpenRead(path);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxInputBytes)
                {
                    throw new CliException($"the input is larger than {MaxInputBytes / (1024 * 1024)} MB: that is not one response.");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"'{path}' does not exist.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>Recognises a saved SSE stream, a response body, or a bare usage object.</summary>
    internal static (TokenUsage Usage, string? Model, string? StopReason, bool Complete) Interpret(ReadOnlySpan<byte> input, string? speed)
    {
        var text = input.TrimStart("\uFEFF"u8).TrimStart(" \t\r\n"u8);
        if (text.IsEmpty)
        {
            throw new CliException("the input is empty: give a response body, an SSE stream or a usage object.");
        }

        if (text.StartsWith("event:"u8) || text.StartsWith("data:"u8) || text.StartsWith(":"u8))
        {
            using var observer = new MessageStreamObserver();
            observer.Feed(text);
            var o = observer.Complete(acceptUnterminatedEvent: true);
            if (o.HasError && o.Usage is null)
            {
                throw new CliException($"the stream carries an error ({o.ErrorType}: {o.ErrorMessage}) and no usage: nothing was billed.");
            }

            var usage = o.UsageWithSpeed(speed) ?? throw new CliException("the stream carries no usage (no message_start or message_delta with usage).");
            return (usage, o.Model, o.StopReason, o.Complete);
        }

        if (text[0] != (byte)'{')
        {
            throw new CliException("the input is neither JSON nor an SSE stream.");
        }

        var message = MessageResponseParser.Parse(text);
        if (message.MalformedEvents > 0)
        {
            throw new CliException("the input is not valid JSON.");
        }

        if (message.Usage is not null)
        {
            return (message.UsageWithSpeed(speed)!, message.Model, message.StopReason, message.Complete);
        }

        if (message.HasError)
        {
            throw new CliException($"the input is an error body ({message.ErrorType}: {message.ErrorMessage}): errors carry no usage and cost nothing.");
        }

        var bare = UsageParser.Parse(text, speed)
            ?? throw new CliException("the JSON has no usage: expected a Messages response, an SSE stream, or a usage object with input_tokens/output_tokens.");
        return (bare, null, null, true);
    }

    private static void WriteJson(TextWriter output, string model, TokenUsage usage, CallCost cost, string? stopReason, bool complete)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteString("pricing_model", cost.PricingModel);
            w.WriteBoolean("priced", cost.Priced);
            w.WriteString("unpriced_reason", cost.UnpricedReason);
            w.WriteString("price_table_version", cost.PriceTableVersion);
            w.WriteNumber("cost_usd", cost.TotalUsd);
            w.WriteNumber("input_usd", cost.InputUsd);
            w.WriteNumber("cache_write_5m_usd", cost.CacheWrite5mUsd);
            w.WriteNumber("cache_write_1h_usd", cost.CacheWrite1hUsd);
            w.WriteNumber("cache_read_usd", cost.CacheReadUsd);
            w.WriteNumber("output_usd", cost.OutputUsd);
            w.WriteNumber("web_search_usd", cost.WebSearchUsd);
            w.WriteStartObject("tokens");
            w.WriteNumber("input", usage.InputTokens);
            w.WriteNumber("cache_write_5m", usage.EffectiveCacheWrite5m);
            w.WriteNumber("cache_write_1h", usage.EffectiveCacheWrite1h);
            w.WriteNumber("cache_read", usage.CacheReadInputTokens);
            w.WriteNumber("output", usage.OutputTokens);
            w.WriteNumber("web_search_requests", usage.WebSearchRequests);
            w.WriteEndObject();
            w.WriteString("service_tier", usage.ServiceTier);
            w.WriteString("inference_geo", usage.InferenceGeo);
            w.WriteString("stop_reason", stopReason);
            w.WriteBoolean("complete", complete);
            w.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        output.Flush();
    }

    private static void WriteTable(IAnsiConsole ansi, string model, TokenUsage usage, CallCost cost, PriceTable table, string? stopReason, bool complete)
    {
        var inv = CultureInfo.InvariantCulture;
        if (!cost.Priced)
        {
            ansi.MarkupLine($"[red]Unpriced[/]: {Markup.Escape(model)} ({Markup.Escape(cost.UnpricedReason ?? "")}) is not in the price table of {Markup.Escape(table.Version)}. Give a newer table with --prices.");
            return;
        }

        var rates = table.FindModel(model)!.RatesFor(usage.TotalInputTokens, usage.Speed);
        var grid = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{Markup.Escape(model)}[/] priced as {Markup.Escape(cost.PricingModel ?? "")} (prices of {Markup.Escape(table.Version)})")
            .AddColumn("bucket").AddColumn(new TableColumn("tokens").RightAligned()).AddColumn(new TableColumn("$/MTok").RightAligned())
            .AddColumn(new TableColumn("cost").RightAligned());
        void Row(string bucket, long tokens, decimal rate, decimal usd) =>
            grid.AddRow(bucket, tokens.ToString("N0", inv), rate.ToString("0.####", inv), "$" + usd.ToString("0.######", inv));
        Row("input (uncached)", usage.InputTokens, rates.Input, cost.InputUsd);
        Row("cache write 5m", usage.EffectiveCacheWrite5m, rates.CacheWrite5m, cost.CacheWrite5mUsd);
        Row("cache write 1h", usage.EffectiveCacheWrite1h, rates.CacheWrite1h, cost.CacheWrite1hUsd);
        Row("cache read", usage.CacheReadInputTokens, rates.CacheRead, cost.CacheReadUsd);
        Row("output", usage.OutputTokens, rates.Output, cost.OutputUsd);
        if (usage.WebSearchRequests > 0 || usage.WebFetchRequests > 0)
        {
            grid.AddRow("web search (requests)", usage.WebSearchRequests.ToString("N0", inv), "", "$" + cost.WebSearchUsd.ToString("0.######", inv));
        }

        grid.AddRow("[bold]total[/]", "", "", $"[bold]${cost.TotalUsd.ToString("0.######", inv)}[/]");
        ansi.Write(grid);
        var notes = new List<string>();
        if (usage.ServiceTier is { } t) notes.Add($"service tier {t}");
        if (usage.InferenceGeo is { } g) notes.Add($"inference geo {g}");
        if (usage.Speed is { } s) notes.Add($"speed {s}");
        if (stopReason is not null) notes.Add($"stop reason {stopReason}");
        if (!complete) notes.Add("stream incomplete: usage is what was seen");
        if (notes.Count > 0)
        {
            ansi.MarkupLine(Markup.Escape(string.Join("; ", notes)));
        }
    }
}

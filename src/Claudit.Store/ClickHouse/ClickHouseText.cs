using System.Globalization;
using System.Text;

namespace Claudit.Store.ClickHouse;

/// <summary>
/// Values in and out of ClickHouse's text formats: string literals for SQL (the HTTP interface of 18.16 has
/// no query parameters, so every value is a quoted literal), and the fields of a <c>TabSeparated</c> row.
/// </summary>
internal static class ClickHouseText
{
    /// <summary>A string as a SQL literal: backslash and quote escaped, as ClickHouse reads them.</summary>
    public static string Literal(string value)
    {
        var b = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': b.Append(@"\\"); break;
                case '\'': b.Append(@"\'"); break;
                case '\0': b.Append(@"\0"); break;
                default: b.Append(c); break;
            }
        }

        return b.Append('\'').ToString();
    }

    public static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One line of <c>TabSeparated</c> output as its fields, unescaped; <c>\N</c> is null.</summary>
    public static string?[] SplitRow(string line)
    {
        var fields = line.Split('\t');
        var values = new string?[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            values[i] = fields[i] == @"\N" ? null : Unescape(fields[i]);
        }

        return values;
    }

    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var b = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            if (c != '\\' || i + 1 == field.Length)
            {
                b.Append(c);
                continue;
            }

            var next = field[++i];
            b.Append(next switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', 'b' => '\b', 'f' => '\f', _ => next });
        }

        return b.ToString();
    }

    public static long Long(string? field) => field is null ? 0 : long.Parse(field, NumberStyles.Integer, CultureInfo.InvariantCulture);

    public static long? NullableLong(string? field) => field is null ? null : Long(field);

    public static int? NullableInt(string? field) => field is null ? null : int.Parse(field, NumberStyles.Integer, CultureInfo.InvariantCulture);

    public static double Double(string? field) => field switch
    {
        null => 0,
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>An exact decimal read as text, without the trailing zeros of its fixed scale (as the DuckDB engine reads money).</summary>
    public static decimal Money(string? field) =>
        field is null ? 0m : Core.Pricing.Money.Trim(decimal.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture));

    /// <summary>A decimal as an exact <c>Decimal128(24)</c> literal.</summary>
    public static string MoneyLiteral(decimal value)
    {
        if (decimal.Round(value, ClickHouseSql.MoneyScale) != value)
        {
            throw new StoreException($"a price-table rate ({value} USD per token) has more than {ClickHouseSql.MoneyScale} decimal places: the store cannot price with it exactly");
        }

        return $"toDecimal128('{value.ToString(CultureInfo.InvariantCulture)}', {ClickHouseSql.MoneyScale})";
    }
}

using System.Text;
using Claudit.Core.Serialization;

namespace Claudit.Core.Tests;

/// <summary>
/// The name table learns the order writers emit names in (issue 17: a report's speed); whatever order it has
/// learned, and however often the order changes or names it does not know come between, it finds each name's index.
/// </summary>
public class PropertyNameTableTests
{
    private static readonly string[] Names = ["id", "start_time", "model", "usage", "tags", "cost", "latency_ms"];

    [Fact]
    public void Every_name_is_found_in_any_order_with_unknown_names_between()
    {
        var table = new PropertyNameTable(Names);
        var random = new Random(17);
        for (var round = 0; round < 500; round++)
        {
            // A few writers' orders, each repeated, with unknown names and repeats mixed in.
            var order = Names.Select((n, i) => (n, i)).OrderBy(_ => random.Next(round % 4 == 0 ? 100 : 3)).ToList();
            var last = -1;
            foreach (var (name, index) in order)
            {
                if (random.Next(5) == 0)
                {
                    Assert.Equal(-1, table.Find(Encoding.UTF8.GetBytes("unknown_" + name), ref last));
                }

                Assert.Equal(index, table.Find(Encoding.UTF8.GetBytes(name), ref last));
                Assert.Equal(index, last);
            }
        }
    }

    [Fact]
    public void A_learned_order_is_followed_and_unlearned_when_the_order_changes()
    {
        var table = new PropertyNameTable(Names);
        string[] tracerOrder = ["latency_ms", "model", "id", "cost"];
        for (var i = 0; i < 3; i++)
        {
            var last = -1;
            Assert.Equal([6, 2, 0, 5], tracerOrder.Select(n => table.Find(Encoding.UTF8.GetBytes(n), ref last)).ToArray());
        }

        var again = -1;
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], Names.Select(n => table.Find(Encoding.UTF8.GetBytes(n), ref again)).ToArray());
        Assert.Equal(-1, table.Find("lat"u8, ref again));
        Assert.Equal(6, again);
    }
}

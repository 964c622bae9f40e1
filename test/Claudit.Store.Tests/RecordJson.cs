using System.Text;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Store.Tests;

/// <summary>A record in the public JSON format: every field, lists and maps included, in one comparable string.</summary>
internal static class RecordJson
{
    public static string Of(CallRecord record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            CallRecordJsonWriter.Write(writer, record);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

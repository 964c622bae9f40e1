using System.Buffers;
using System.Text;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Testing;

/// <summary>A record as one line of the public JSONL format (no newline), as the journal and ingest carry it.</summary>
public static class RecordLines
{
    public static string Of(CallRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            CallRecordJsonWriter.Write(writer, record);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

using Claudit.Core.Records;

namespace Claudit.Core.Serialization;

/// <summary>The snake_case wire names of the record's enums, without reflection or allocation.</summary>
internal static class EnumNames
{
    public static string Of(CallSource s) => s switch
    {
        CallSource.Gateway => "gateway",
        CallSource.Library => "library",
        CallSource.Ingest => "ingest",
        CallSource.Import => "import",
        CallSource.Otlp => "otlp",
        _ => "gateway",
    };

    public static string Of(CallStatus s) => s == CallStatus.Error ? "error" : "ok";

    public static string Of(ErrorOrigin o) => o switch
    {
        ErrorOrigin.Transport => "transport",
        ErrorOrigin.Gateway => "gateway",
        _ => "api",
    };

    public static ErrorOrigin ParseOrigin(string? name) => name switch
    {
        "transport" => ErrorOrigin.Transport,
        "gateway" => ErrorOrigin.Gateway,
        _ => ErrorOrigin.Api,
    };
}

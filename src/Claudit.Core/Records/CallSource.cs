namespace Claudit.Core.Records;

/// <summary>Which way a record came in.</summary>
public enum CallSource
{
    Gateway,
    Library,
    Ingest,
    /// <summary>Loaded from a file written by another tool (e.g. tracer.py JSONL).</summary>
    Import,

    /// <summary>Made from an OpenTelemetry GenAI span that an instrumented app exported to Claudit's OTLP receiver.</summary>
    Otlp,
}

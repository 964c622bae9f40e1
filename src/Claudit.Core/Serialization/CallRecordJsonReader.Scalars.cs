using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Claudit.Core.Records;

namespace Claudit.Core.Serialization;

public static partial class CallRecordJsonReader
{
    // What Utf8JsonReader.GetString decodes with: invalid UTF-8 in a string a record keeps makes the line bad.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ref partial struct RecordFields
    {
        /// <summary>The current string value's text, unescaped when it has escapes (rare: a copy then).</summary>
        private static ReadOnlySpan<byte> Text(ref Utf8JsonReader r, out TextForm form)
        {
            if (!r.ValueIsEscaped)
            {
                form = TextForm.Raw;
                return r.ValueSpan;
            }

            try
            {
                var buffer = new byte[r.ValueSpan.Length];
                form = TextForm.Unescaped;
                return buffer.AsSpan(0, r.CopyString(buffer));
            }
            catch (InvalidOperationException)
            {
                form = TextForm.Invalid;
                return default;
            }
        }

        /// <summary>
        /// Takes a top-level scalar (string, number, true, false, null) by its raw text, as both the JSON
        /// reader and the flat-line scanner find it: one definition of what each field makes of its value.
        /// False when the value needs the JSON reader (an id or a time written as a string).
        /// <paramref name="text"/> is a string's content without quotes, as <paramref name="form"/> says.
        /// </summary>
        public bool AssignScalar(int name, JsonTokenType type, scoped ReadOnlySpan<byte> text, TextForm form)
        {
            var s = new Scalar(type, text, form, _pool);
            switch (name)
            {
                case 0 when type == JsonTokenType.String: return false;
                case 0: _id = null; break;
                case 1 or 25 when type == JsonTokenType.String: return false;
                case 1: _start = s.Time(); break;
                case 2: _source = s.Source(); break;
                case 3: _endpoint = s.Str(); break;
                case 4: _streaming = type == JsonTokenType.True; break;
                case 5: _modelRequested = s.Str(); break;
                case 6: _modelUsed = s.Str(); break;
                case 7: _status = s.Status(); break;
                case 8: _httpStatus = s.Int(); break;
                case 9: _complete = type != JsonTokenType.False; break;
                case 10: _stopReason = s.Str(); break;
                case 11: _maxTokens = s.Int(); break;
                // An object's place holding a scalar: the object readers make nothing of it.
                case 12: _error = null; break;
                case 13: _usage = null; break;
                case 14 when _options.RecordedCost: _cost = null; break;
                case 15: _latencyMs = s.Dbl(); break;
                case 16: _ttftMs = s.Dbl(); break;
                case 17: _ttfbMs = s.Dbl(); break;
                case 18: _tps = s.Dbl(); break;
                case 19: _requestId = _identifiers ? s.Str(pooled: false) : s.CheckStr(); break;
                case 20 when _options.Correlation: _organizationId = s.Str(); break;
                case 21 when _options.RateLimits: _rateLimits = null; break;
                case 22 when _options.ToolCalls: _toolCalls = null; break;
                case 23: _tags = null; break;
                case 24 when _options.Correlation: _promptHash = s.Str(pooled: false); break;
                // tracer.py
                case 25: _tracer = true; _start = s.Time(); break;
                case 26: _tracer = true; _latencyMs = s.Dbl() * 1000.0; break;
                // The caller (file:line) only ever feeds a correlation property: a report just notes it is there.
                case 27:
                    _hasCaller = type == JsonTokenType.String;
                    _caller = _options.Correlation ? s.Str() : null;
                    break;
                case 28: _function = s.Str(); break;
                case 29: _flatInput = s.Long(); break;
                case 30: _flatOutput = s.Long(); break;
                case 31: _flatCacheWrite = s.Long(); break;
                case 32: _flatCacheRead = s.Long(); break;
                case 33: _flatCost = type == JsonTokenType.Number ? s.Dec() : null; break;
                case 34: _qualityFlags = null; break;
                case 35: _contextUtilisation = s.Dbl(); break;
                case 36: _endpointKind = EndpointKinds.Parse(s.Str()); break;
                case 37: _batch = null; break;
                case 38: _messageId = _identifiers ? s.Str(pooled: false) : s.CheckStr(); break;
                case 39: _toolResults = s.Int() ?? 0; break;
                case 40: _toolResultErrors = s.Int() ?? 0; break;
                default: break; // a field no one reads: skipped
            }

            return true;
        }
    }

    /// <summary>How a string's text reached <see cref="RecordFields.AssignScalar"/>.</summary>
    private enum TextForm
    {
        /// <summary>As it stands in the line (no escapes).</summary>
        Raw,

        /// <summary>Unescaped from the line: never pooled.</summary>
        Unescaped,

        /// <summary>Escapes that make no text (a lone surrogate): reading it as a string fails, as the JSON reader's does.</summary>
        Invalid,
    }

    /// <summary>A scalar's raw text read the way <see cref="Utf8JsonReader"/>'s getters read it.</summary>
    private readonly ref struct Scalar(JsonTokenType type, ReadOnlySpan<byte> text, TextForm form, Utf8StringPool? pool)
    {
        private readonly ReadOnlySpan<byte> _text = text;

        public string? Str(bool pooled = true) =>
            type != JsonTokenType.String ? null
            : form == TextForm.Invalid ? throw InvalidText()
            : pooled && pool is not null && form == TextForm.Raw ? pool.Get(_text)
            : StrictUtf8.GetString(_text);

        /// <summary>
        /// Null, failing where <see cref="Str"/> (unpooled) fails, with the same error, but making no string: a field
        /// read only for the few calls a report lists still makes a line bad, or not, as the whole read does.
        /// </summary>
        public string? CheckStr()
        {
            if (type == JsonTokenType.String && (form == TextForm.Invalid ? throw InvalidText() : !System.Text.Unicode.Utf8.IsValid(_text)))
            {
                StrictUtf8.GetString(_text);
            }

            return null;
        }

        private static InvalidOperationException InvalidText() => new("Cannot read invalid UTF-16 JSON text as string.");

        public int? Int() =>
            type == JsonTokenType.Number && Utf8Parser.TryParse(_text, out int v, out var used) && used == _text.Length ? v : null;

        public long? Long() =>
            type != JsonTokenType.Number ? null
            : Utf8Parser.TryParse(_text, out long v, out var used) && used == _text.Length ? v
            : (long)Double();

        // 1e400 parses as infinity: a damaged number is no measurement.
        public double? Dbl() => type == JsonTokenType.Number && Double() is var d && double.IsFinite(d) ? d : null;

        public decimal Dec() =>
            Utf8Parser.TryParse(_text, out decimal d, out var used, Format) && used == _text.Length ? d
            : throw new FormatException("The JSON value is not in a supported Decimal format.");

        /// <summary>Epoch seconds (tracer.py writes <c>time.time()</c>); null for what is not a number.</summary>
        public DateTimeOffset? Time() =>
            type == JsonTokenType.Number ? RecordFields.EpochSeconds(Double()) : null;

        public CallSource Source() =>
            type != JsonTokenType.String ? throw new InvalidOperationException($"Cannot compare the value of a token type '{type}' to text.")
            : _text.SequenceEqual("library"u8) ? CallSource.Library
            : _text.SequenceEqual("ingest"u8) ? CallSource.Ingest
            : _text.SequenceEqual("import"u8) ? CallSource.Import
            : _text.SequenceEqual("otlp"u8) ? CallSource.Otlp
            : CallSource.Gateway;

        public CallStatus? Status() =>
            type != JsonTokenType.String ? null
            : _text.SequenceEqual("ok"u8) || _text.SequenceEqual("success"u8) || _text.SequenceEqual("succeeded"u8) ? CallStatus.Ok
            : CallStatus.Error;

        private char Format => _text.IndexOfAny((byte)'e', (byte)'E') >= 0 ? 'e' : default;

        private double Double() =>
            Utf8Parser.TryParse(_text, out double d, out var used, Format) && used == _text.Length ? d
            : throw new FormatException("The JSON value is not in a supported Double format.");
    }
}

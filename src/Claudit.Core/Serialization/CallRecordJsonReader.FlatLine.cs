using System.Buffers;
using System.Text.Json;

namespace Claudit.Core.Serialization;

public static partial class CallRecordJsonReader
{
    // What ends a string's plain run: its closing quote, an escape, or a control character (invalid in JSON).
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    private ref partial struct RecordFields
    {
        /// <summary>
        /// Reads a line by scanning its bytes: names, plain strings, numbers and literals straight from the line
        /// into <see cref="AssignScalar"/>; objects, arrays, escaped strings, ids and times by the JSON reader,
        /// on that value alone. A line a report reads is mostly scalars (tracer.py's is all scalars), and this
        /// skips the JSON reader's token-by-token work on them. False on anything it does not take as valid
        /// JSON in the plain form (then the line is read again by the JSON reader, which decides and names any
        /// error): it never accepts a line the JSON reader would refuse, nor reads one differently.
        /// </summary>
        public bool TryReadLine(ReadOnlySpan<byte> line)
        {
            try
            {
                return ScanLine(line);
            }
            catch (Exception ex) when (IsLineError(ex))
            {
                return false;
            }
        }

        private bool ScanLine(ReadOnlySpan<byte> line)
        {
            var at = SkipSpace(line, 0);
            if (at >= line.Length || line[at] != '{')
            {
                return false;
            }

            at = SkipSpace(line, at + 1);
            if (at < line.Length && line[at] == '}')
            {
                return SkipSpace(line, at + 1) == line.Length;
            }

            var last = -1;
            while (true)
            {
                // "name"
                if (at >= line.Length || line[at] != '"')
                {
                    return false;
                }

                var nameLength = line[(at + 1)..].IndexOfAny(StringStops);
                if (nameLength < 0 || line[at + 1 + nameLength] != '"')
                {
                    return false;
                }

                var name = TopLevel.Find(line.Slice(at + 1, nameLength), ref last);
                at = SkipSpace(line, at + nameLength + 2);
                if (at >= line.Length || line[at] != ':')
                {
                    return false;
                }

                at = SkipSpace(line, at + 1);
                if (at >= line.Length || !ScanValue(line, ref at, name))
                {
                    return false;
                }

                at = SkipSpace(line, at);
                if (at >= line.Length)
                {
                    return false;
                }

                if (line[at] == '}')
                {
                    return SkipSpace(line, at + 1) == line.Length;
                }

                if (line[at] != ',')
                {
                    return false;
                }

                at = SkipSpace(line, at + 1);
            }
        }

        /// <summary>The value at <paramref name="at"/>, which is left just after it; false when it is not one this scan takes.</summary>
        private bool ScanValue(ReadOnlySpan<byte> line, ref int at, int name)
        {
            var first = line[at];
            if (first == '"')
            {
                var length = line[(at + 1)..].IndexOfAny(StringStops);
                if (length >= 0 && line[at + 1 + length] == '"'
                    && AssignScalar(name, JsonTokenType.String, line.Slice(at + 1, length), TextForm.Raw))
                {
                    at += length + 2;
                    return true;
                }

                return ReadByJsonReader(line, ref at, name);
            }

            if (first is (byte)'{' or (byte)'[')
            {
                return ReadByJsonReader(line, ref at, name);
            }

            var end = first == 't' ? Literal(line, at, "true"u8)
                : first == 'f' ? Literal(line, at, "false"u8)
                : first == 'n' ? Literal(line, at, "null"u8)
                : NumberEnd(line, at);
            if (end < 0)
            {
                return false;
            }

            var type = first switch
            {
                (byte)'t' => JsonTokenType.True,
                (byte)'f' => JsonTokenType.False,
                (byte)'n' => JsonTokenType.Null,
                _ => JsonTokenType.Number,
            };
            AssignScalar(name, type, line[at..end], TextForm.Raw);
            at = end;
            return true;
        }

        /// <summary>
        /// One value by the JSON reader, as the whole-line read takes it; false unless the reader ends on that
        /// value's last token (a field that does not step over an object leaves the line to the whole-line read).
        /// </summary>
        private bool ReadByJsonReader(ReadOnlySpan<byte> line, ref int at, int name)
        {
            var r = new Utf8JsonReader(line[at..]);
            if (!r.Read())
            {
                return false;
            }

            ReadOne(name, ref r);
            if (r.CurrentDepth != 0 || r.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.String))
            {
                return false;
            }

            at += (int)r.BytesConsumed;
            return true;
        }

        private static int SkipSpace(ReadOnlySpan<byte> line, int at)
        {
            while (at < line.Length && line[at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                at++;
            }

            return at;
        }

        private static int Literal(ReadOnlySpan<byte> line, int at, ReadOnlySpan<byte> literal) =>
            line[at..].StartsWith(literal) ? at + literal.Length : -1;

        /// <summary>Where a JSON number starting at <paramref name="at"/> ends (RFC 8259's grammar), or -1.</summary>
        private static int NumberEnd(ReadOnlySpan<byte> line, int at)
        {
            if (at < line.Length && line[at] == '-')
            {
                at++;
            }

            if (at >= line.Length || !IsDigit(line[at]))
            {
                return -1;
            }

            if (line[at] == '0')
            {
                at++;
            }
            else
            {
                at = Digits(line, at);
            }

            if (at < line.Length && line[at] == '.')
            {
                var fraction = Digits(line, at + 1);
                if (fraction == at + 1)
                {
                    return -1;
                }

                at = fraction;
            }

            if (at < line.Length && line[at] is (byte)'e' or (byte)'E')
            {
                at++;
                if (at < line.Length && line[at] is (byte)'+' or (byte)'-')
                {
                    at++;
                }

                var exponent = Digits(line, at);
                if (exponent == at)
                {
                    return -1;
                }

                at = exponent;
            }

            // A number runs to a delimiter: "12a" or "0123" is no number.
            return at == line.Length || line[at] is (byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' ? at : -1;
        }

        private static int Digits(ReadOnlySpan<byte> line, int at)
        {
            while (at < line.Length && IsDigit(line[at]))
            {
                at++;
            }

            return at;
        }

        private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
    }
}

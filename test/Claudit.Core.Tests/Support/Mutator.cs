using System.Text;

namespace Claudit.Core.Tests.Support;

/// <summary>Deterministic random inputs for the fuzz tests: byte soup, mutations of valid input, random chunkings.</summary>
internal sealed class Mutator(int seed)
{
    // Bytes that matter to SSE framing and JSON, so random input reaches past the first check.
    private static readonly byte[] Interesting = Encoding.UTF8.GetBytes("\r\n\n:{}[]\",:0123456789-.eE \\u tfn\u00e9\u20ac\U0001F600")
        .Concat(new byte[] { 0x00, 0xFF, 0xC3, 0x80, 0xED, 0xA0 }).ToArray();

    private static readonly string[] Tokens =
    [
        "event: ", "data: ", "data:", "\n\n", "\r\n", "\r", ": comment\n", "id: 1\n", "retry: 10\n",
        "message_start", "message_delta", "message_stop", "content_block_start", "content_block_delta",
        "content_block_stop", "error", "ping", "\"type\":", "\"usage\":", "\"input_tokens\":", "\"output_tokens\":",
        "\"partial_json\":", "\"index\":", "\"delta\":", "\"content_block\":", "\"name\":", "\"input\":",
        "{", "}", "[", "]", "null", "true", "-1", "1e400", "9223372036854775808", "\"\\u0000\"", "\"\\ud800\"",
    ];

    private readonly Random _random = new(seed);

    public Random Random => _random;

    public int Next(int max) => _random.Next(max);

    public byte[] RandomBytes(int maxLength)
    {
        var length = _random.Next(maxLength + 1);
        var bytes = new byte[length];
        switch (_random.Next(3))
        {
            case 0:
                _random.NextBytes(bytes);
                break;
            case 1:
                for (var i = 0; i < length; i++)
                {
                    bytes[i] = Interesting[_random.Next(Interesting.Length)];
                }

                break;
            default:
                var sb = new StringBuilder();
                while (sb.Length < length)
                {
                    sb.Append(Tokens[_random.Next(Tokens.Length)]);
                }

                return Encoding.UTF8.GetBytes(sb.ToString());
        }

        return bytes;
    }

    /// <summary>One to four mutations: flipped bytes, deleted, duplicated or inserted ranges, truncation.</summary>
    public byte[] Mutate(byte[] input)
    {
        var bytes = new List<byte>(input);
        var count = 1 + _random.Next(4);
        for (var m = 0; m < count; m++)
        {
            var n = bytes.Count;
            switch (_random.Next(6))
            {
                case 0 when n > 0: // flip bits of one byte
                    bytes[_random.Next(n)] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1 when n > 0: // replace a byte with an interesting one
                    bytes[_random.Next(n)] = Interesting[_random.Next(Interesting.Length)];
                    break;
                case 2 when n > 0: // delete a range
                {
                    var at = _random.Next(n);
                    bytes.RemoveRange(at, _random.Next(1, Math.Min(64, n - at) + 1));
                    break;
                }

                case 3 when n > 0: // duplicate a range in place
                {
                    var at = _random.Next(n);
                    var len = _random.Next(1, Math.Min(256, n - at) + 1);
                    bytes.InsertRange(at, bytes.GetRange(at, len));
                    break;
                }

                case 4: // insert a token
                    bytes.InsertRange(_random.Next(n + 1), Encoding.UTF8.GetBytes(Tokens[_random.Next(Tokens.Length)]));
                    break;
                default: // truncate
                    if (n > 0)
                    {
                        var at = _random.Next(n);
                        bytes.RemoveRange(at, n - at);
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Random chunk sizes, mostly small, sometimes large.</summary>
    public IEnumerable<int> Chunks()
    {
        while (true)
        {
            yield return _random.Next(4) == 0 ? _random.Next(1, 512) : _random.Next(1, 8);
        }
    }
}

package dev.mnode.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KeyCodecTest {
  @Test
  void plainKeys_areWrittenAsTheyAre() {
    for (String k : new String[] {"payments", "ß", "中文", "a b", "\uFFFF"}) {
      assertEquals(k, KeyCodec.encode(k));
      assertEquals(k, KeyCodec.decode(k));
    }
  }

  @Test
  void percentNulAndCharactersBeyondTheBmp_areEscapedAsUtf8_andRoundTrip() {
    assertEquals("%25", KeyCodec.encode("%"));
    assertEquals("%00", KeyCodec.encode("\0"));
    assertEquals("%F0%9F%94%A5 hot", KeyCodec.encode("🔥 hot"));
    for (String k : new String[] {"%", "100%", "%41", "\0", "🔥", "a🔥b%c\0d", "%25", "𝄞𝄞"}) {
      assertEquals(k, KeyCodec.decode(KeyCodec.encode(k)), k);
    }
  }

  @Test
  void decode_refusesAnythingEncodeWouldNotWrite() {
    for (String bad : new String[] {"%41", "%f0%9f%94%a5", "%2", "%ZZ", "%FF", "%C3%A9", "%F0%9F%94"}) {
      assertThrows(IllegalArgumentException.class, () -> KeyCodec.decode(bad), bad);
    }
  }
}

package dev.cachet.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/** {@link FuzzInput} over Jazzer's data: once it is used up every choice is the smallest. */
final class JazzerInput implements FuzzInput {
  private final FuzzedDataProvider data;

  JazzerInput(FuzzedDataProvider data) {
    this.data = data;
  }

  @Override
  public boolean bool() {
    return data.consumeBoolean();
  }

  @Override
  public int intIn(int min, int max) {
    return data.consumeInt(min, max);
  }

  @Override
  public long anyLong() {
    return data.consumeLong();
  }

  @Override
  public int length(int max) {
    return data.consumeInt(0, max);
  }

  @Override
  public byte[] bytes(int maxLength) {
    return data.consumeBytes(maxLength);
  }

  @Override
  public byte[] rest() {
    return data.consumeRemainingAsBytes();
  }
}

//===- TypeNamesTest.cpp - C type names in annotation casts ---------------===//

#include "vep/logic/TypeNames.h"

#include <gtest/gtest.h>

using namespace vep::logic;

namespace {

void expectInt(const char *Name, unsigned Bits, bool Signed) {
  std::optional<IntTypeName> T = intTypeNamed(Name);
  ASSERT_TRUE(T) << Name;
  EXPECT_EQ(T->Bits, Bits) << Name;
  EXPECT_EQ(T->Signed, Signed) << Name;
}

} // namespace

TEST(TypeNames, IntegerTypes) {
  expectInt("char", 8, true); // plain char is signed on BPF
  expectInt("unsigned char", 8, false);
  expectInt("short int", 16, true);
  expectInt("unsigned long long", 64, false);
  expectInt("long", 64, true);
  expectInt("signed", 32, true);
  expectInt("const unsigned int", 32, false);
  expectInt("__be16", 16, false);
  expectInt("__s64", 64, true);
  expectInt("uint8_t", 8, false);
  expectInt("ssize_t", 64, true);
  for (const char *Bad : {"", "void", "long short", "char int", "unsigned signed",
                          "long long long", "struct iphdr", "__u8 *", "float"})
    EXPECT_FALSE(intTypeNamed(Bad)) << Bad;
}

TEST(TypeNames, BytePointers) {
  for (const char *Name : {"void *", "char *", "unsigned char *", "const __u8 *",
                           "signed char *", "uint8_t *", "const void *"})
    EXPECT_TRUE(isBytePointerTypeName(Name)) << Name;
  for (const char *Name : {"void", "void **", "__u16 *", "struct ethhdr *", "int *",
                           "char", "*", " *"})
    EXPECT_FALSE(isBytePointerTypeName(Name)) << Name;
}

TEST(TypeNames, ConversionWrapsIntoTheRange) {
  EXPECT_EQ(convertTo(300, {8, false}), 44);
  EXPECT_EQ(convertTo(-1, {8, false}), 255);
  EXPECT_EQ(convertTo(200, {8, true}), -56);
  EXPECT_EQ(convertTo(-129, {8, true}), 127);
  __int128 Two64 = __int128(1) << 64;
  EXPECT_EQ(convertTo(Two64 + 5, {64, false}), 5);
  EXPECT_EQ(convertTo(Two64 - 1, {64, true}), -1);
}

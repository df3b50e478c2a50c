(* Machine.v - the machine model the proofs are about (RFC 9669).

   A machine word of n bits is an integer in [0, 2^n): the unsigned reading,
   which is what a scalar's linear form denotes in the checker
   (docs/proof-format.md section 4). Every operation below is the RFC 9669
   semantics of one instruction on such words. Nothing here is assumed about
   the checker; the other files prove that the facts the checker adds hold
   for these operations. *)

Require Import ZArith Lia List.
Open Scope Z_scope.

Definition word (n x : Z) : Prop := 0 <= x < 2 ^ n.

(* M = 2^bits - 1 in the spec (VEP_U64_MAX, VEP_U32_MAX in the code). *)
Definition wmax (n : Z) : Z := 2 ^ n - 1.

(* Two's complement reading of an n-bit word. *)
Definition signed (n x : Z) : Z := if x <? 2 ^ (n - 1) then x else x - 2 ^ n.

(* Shift amounts are masked to the width: src & 63 (ALU64), src & 31 (ALU). *)
Definition shamt (n k : Z) : Z := Z.land k (n - 1).

(* ---- ALU operations on n-bit words ------------------------------------- *)
Inductive aluop :=
| ADD | SUB | MUL | DIV | SDIV | OR | AND | LSH | RSH | NEG | MOD | SMOD
| XOR | MOV | MOVSX (b : Z) (* sign-extend the low b bits *) | ARSH.

(* dst = dst op src on n-bit words x (dst) and y (src); the result is an
   n-bit word again (wrapping arithmetic). Division and modulo: unsigned on
   words; by zero DIV gives 0 and MOD leaves dst; signed ones truncate
   toward zero (Z.quot, Z.rem), INT_MIN / -1 wraps to INT_MIN. *)
Definition alu_op (n : Z) (op : aluop) (x y : Z) : Z :=
  match op with
  | ADD => (x + y) mod 2 ^ n
  | SUB => (x - y) mod 2 ^ n
  | MUL => (x * y) mod 2 ^ n
  | DIV => if y =? 0 then 0 else x / y
  | SDIV => if signed n y =? 0 then 0
            else Z.quot (signed n x) (signed n y) mod 2 ^ n
  | OR => Z.lor x y
  | AND => Z.land x y
  | LSH => Z.shiftl x (shamt n y) mod 2 ^ n
  | RSH => Z.shiftr x (shamt n y)
  | NEG => (- x) mod 2 ^ n
  | MOD => if y =? 0 then x else x mod y
  | SMOD => if signed n y =? 0 then x
            else Z.rem (signed n x) (signed n y) mod 2 ^ n
  | XOR => Z.lxor x y
  | MOV => y
  | MOVSX b => signed b (y mod 2 ^ b) mod 2 ^ n
  | ARSH => Z.shiftr (signed n x) (shamt n y) mod 2 ^ n
  end.

(* ALU64: the operation on the 64-bit register values. *)
Definition alu64 (op : aluop) (x y : Z) : Z := alu_op 64 op x y.

(* ALU (32-bit): the operation on the low 32 bits of both operands; the
   32-bit result is zero-extended, i.e. the 64-bit register value is the
   32-bit word itself. (MOD by zero therefore leaves dst truncated to 32
   bits, MOV is a zero-extending move.) *)
Definition alu32 (op : aluop) (x y : Z) : Z :=
  alu_op 32 op (x mod 2 ^ 32) (y mod 2 ^ 32).

(* ---- Bytes, loads, byte swaps ------------------------------------------- *)
(* The k bytes of x, least significant first (little-endian memory order). *)
Fixpoint to_bytes (k : nat) (x : Z) : list Z :=
  match k with
  | O => nil
  | S k' => x mod 256 :: to_bytes k' (x / 256)
  end.

(* The value of a list of bytes read little-endian: what a load of
   length l bytes (zero-extending) puts in the destination register. *)
Fixpoint from_bytes (l : list Z) : Z :=
  match l with
  | nil => 0
  | b :: l' => b + 256 * from_bytes l'
  end.

Definition is_byte (b : Z) : Prop := 0 <= b < 256.

(* A sign-extending load (MEMSX) of k bytes. *)
Definition load_sx (l : list Z) : Z :=
  signed (8 * Z.of_nat (length l)) (from_bytes l) mod 2 ^ 64.

(* Byte swap of the low w bits (w = 16, 32, 64): the w/8 low bytes in the
   reverse order; the upper bits are zero. *)
Definition bswap (w x : Z) : Z :=
  from_bytes (rev (to_bytes (Z.to_nat (w / 8)) x)).

(* END: ALU class, source bit 0 (to little-endian): on a little-endian
   target a truncation to w bits; ALU class, source bit 1 (to big-endian),
   and ALU64 class (unconditional bswap): the byte swap. *)
Inductive endop := TO_LE | TO_BE | BSWAP.
Definition end_op (e : endop) (w x : Z) : Z :=
  match e with
  | TO_LE => x mod 2 ^ w
  | TO_BE | BSWAP => bswap w x
  end.

(* ---- Immediates ---------------------------------------------------------- *)
(* The 32-bit immediate field, read as a signed integer. *)
Definition imm32 (imm : Z) : Prop := - 2 ^ 31 <= imm < 2 ^ 31.

(* ALU64 and JMP: the immediate sign-extended to 64 bits, read unsigned:
   the bit pattern of the field (imm mod 2^32), sign-extended. *)
Definition sext_imm (imm : Z) : Z := signed 32 (imm mod 2 ^ 32) mod 2 ^ 64.

(* ALU (32-bit): the immediate as an unsigned 32-bit number. *)
Definition uimm (imm : Z) : Z := imm mod 2 ^ 32.

(* lddw (src 0): imm | next.imm << 32. *)
Definition lddw (lo hi : Z) : Z :=
  Z.lor (lo mod 2 ^ 32) (Z.shiftl (hi mod 2 ^ 32) 32).

(* ---- Unsigned comparisons (JMP class) -------------------------------------- *)
Inductive cmpop := JEQ | JNE | JGT | JGE | JLT | JLE.

(* Whether the jump is taken, on the unsigned 64-bit values mx (dst) and
   my (src). *)
Definition jcmp (op : cmpop) (mx my : Z) : bool :=
  match op with
  | JEQ => mx =? my
  | JNE => negb (mx =? my)
  | JGT => my <? mx
  | JGE => my <=? mx
  | JLT => mx <? my
  | JLE => mx <=? my
  end.

(* ---- Pointers and the platform --------------------------------------------- *)
(* The checker's pointer invariant (section 4): a pointer with region base
   B and offset o (a mathematical integer) has machine value m with
   m = (B + o) mod 2^64. *)
Definition ptr_inv (B o m : Z) : Prop := m = (B + o) mod 2 ^ 64.

(* Platform assumption 3: every region base B satisfies 2^32 <= B and
   B + 2^32 <= 2^64. An assumption, used as a hypothesis, never proved. *)
Definition platform_base (B : Z) : Prop := 2 ^ 32 <= B /\ B + 2 ^ 32 <= 2 ^ 64.

(* Platform assumption 2: the packet length. *)
Definition packet_len (len : Z) : Prop := 0 <= len <= 65535.

(* ---- Generic facts used throughout ------------------------------------------ *)
Lemma pow2_pos : forall n, 0 <= n -> 0 < 2 ^ n.
Proof. intros; apply Z.pow_pos_nonneg; lia. Qed.

Lemma mod_word : forall n a, 0 <= n -> word n (a mod 2 ^ n).
Proof. intros n a H; unfold word; apply Z.mod_pos_bound, pow2_pos; auto. Qed.

Lemma mod_small_word : forall n x, word n x -> x mod 2 ^ n = x.
Proof. intros n x H; apply Z.mod_small; exact H. Qed.

Lemma shamt_range : forall n k, (n = 32 \/ n = 64) -> 0 <= shamt n k < n.
Proof.
  intros n k Hn; unfold shamt.
  assert (E : forall m, 0 <= m -> Z.land k (2 ^ m - 1) = k mod 2 ^ m)
    by (intros m Hm; replace (2 ^ m - 1) with (Z.ones m)
          by (rewrite Z.ones_equiv; lia); apply Z.land_ones; auto).
  destruct Hn; subst;
    [ change (32 - 1) with (2 ^ 5 - 1) | change (64 - 1) with (2 ^ 6 - 1) ];
    rewrite E by lia;
    match goal with |- context [k mod ?m] =>
      pose proof (Z.mod_pos_bound k m) end; lia.
Qed.

(* The sign-extended immediate is the immediate modulo 2^64, and the
   unsigned 32-bit reading is the immediate modulo 2^32 (by definition):
   both are "imm mod 2^n" for the width n of the operation. *)
Lemma signed_imm32 : forall imm, imm32 imm -> signed 32 (imm mod 2 ^ 32) = imm.
Proof.
  intros imm H; unfold imm32 in H; unfold signed.
  destruct (Z_lt_le_dec imm 0).
  - assert (E : imm mod 2 ^ 32 = imm + 2 ^ 32)
      by (Z.div_mod_to_equations; lia).
    rewrite E, (proj2 (Z.ltb_ge _ _)) by lia; lia.
  - rewrite Z.mod_small, (proj2 (Z.ltb_lt _ _)) by lia; lia.
Qed.

Lemma sext_imm_mod : forall imm, imm32 imm -> sext_imm imm = imm mod 2 ^ 64.
Proof. intros imm H; unfold sext_imm; rewrite signed_imm32; auto. Qed.

Lemma signed_zero : forall n, 0 < n -> signed n 0 = 0.
Proof.
  intros n Hn; unfold signed.
  rewrite (proj2 (Z.ltb_lt _ _)) by (apply pow2_pos; lia); reflexivity.
Qed.

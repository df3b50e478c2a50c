(* Alu32.v - the ALU (32-bit) class: rule alu32_operand and the schemas of
   vep-ebpf/src/alu.c with M = 2^32 - 1. The machine operates on the low
   32 bits of both operands and zero-extends (Machine.alu32). *)

Require Import ZArith Lia List.
Require Import VEP.Machine VEP.Alu.
Open Scope Z_scope.

(* alu.c:operand (rule alu32_operand): a non-constant operand form f (a
   64-bit value, so f >= 0) is used exactly only when NO_WRAP_HIGH certifies
   2^32 - 1 - f >= 0; then f is its own low 32 bits. *)
Theorem alu32_operand : forall f, 0 <= f -> f <= wmax 32 -> f mod 2 ^ 32 = f.
Proof. intros f H0 H1; unfold wmax in H1; apply Z.mod_small; lia. Qed.

(* ... a constant operand is reduced: c & VEP_U32_MAX = c mod 2^32. *)
Theorem alu32_operand_const : forall c, Z.land c (2 ^ 32 - 1) = c mod 2 ^ 32.
Proof. intros; apply mask_is_mod; lia. Qed.

(* With both operands exact (words of 32 bits) the ALU32 instruction is the
   32-bit operation on the forms, so every lemma of Alu.v applies, n = 32. *)
Lemma alu32_exact : forall op x y,
  word 32 x -> word 32 y -> alu32 op x y = alu_op 32 op x y.
Proof. intros; unfold alu32; rewrite !mod_small_word; auto. Qed.

Lemma low_word : forall x, word 32 (x mod 2 ^ 32).
Proof. intros; apply mod_word; lia. Qed.

(* alu.c: fresh(M), M = 2^32 - 1, for every ALU32 result (rules alu_fresh,
   alu_div, alu_mod, MOVSX, fallbacks); and the 64-bit register value,
   the zero-extended result, is a 64-bit word as the scalar invariant
   requires. *)
Theorem alu32_result_word : forall op x y,
  word 32 (alu32 op x y) /\ word 64 (alu32 op x y).
Proof.
  intros op x y.
  assert (W : word 32 (alu32 op x y))
    by (apply alu_result_word; auto using low_word).
  split; auto; unfold word in *; lia.
Qed.

(* alu.c:alu_mov: MOV32 is the zero-extending move: the low 32 bits of the
   source, which is the source itself when alu32_operand certified it. *)
Theorem alu32_mov : forall x y,
  alu32 MOV x y = y mod 2 ^ 32 /\ (0 <= y <= wmax 32 -> alu32 MOV x y = y).
Proof.
  intros x y; split; [reflexivity|].
  intros H; apply alu32_operand; lia.
Qed.

(* alu.c:alu_add_sub, register source, exact operands. *)
Theorem alu32_add_exact : forall x y,
  word 32 x -> word 32 y -> x + y <= wmax 32 -> alu32 ADD x y = x + y.
Proof. intros; rewrite alu32_exact by auto; apply alu_add_exact; auto. Qed.

Theorem alu32_sub_exact : forall x y,
  word 32 x -> word 32 y -> 0 <= x - y -> alu32 SUB x y = x - y.
Proof. intros; rewrite alu32_exact by auto; apply alu_sub_exact; auto. Qed.

(* alu.c:alu_add_sub, immediate source: the machine uses the unsigned
   reading uimm imm, the checker the signed imm as k (k = imm for ADD,
   k = -imm for SUB); both agree modulo 2^32. *)
Theorem alu32_add_imm_exact : forall x imm,
  word 32 x ->
  (imm < 0 -> 0 <= x + imm) -> (0 < imm -> x + imm <= wmax 32) ->
  alu32 ADD x (uimm imm) = x + imm.
Proof.
  intros x imm Hx Hlo Hhi; unfold uimm.
  rewrite alu32_exact by auto using low_word.
  apply alu_add_imm_exact; auto; lia.
Qed.

Theorem alu32_sub_imm_exact : forall x imm,
  word 32 x ->
  (- imm < 0 -> 0 <= x - imm) -> (0 < - imm -> x - imm <= wmax 32) ->
  alu32 SUB x (uimm imm) = x - imm.
Proof.
  intros x imm Hx Hlo Hhi; unfold uimm.
  rewrite alu32_exact, alu_sub_imm_is_add by auto using low_word.
  replace (x - imm) with (x + - imm) by ring.
  apply alu_add_imm_exact; auto; lia.
Qed.

(* alu.c:alu_mul: MUL by a constant c (either side), c taken mod 2^32. *)
Theorem alu32_mul_const_exact : forall x c,
  word 32 x -> (c mod 2 ^ 32) * x <= wmax 32 ->
  alu32 MUL x c = (c mod 2 ^ 32) * x /\ alu32 MUL c x = (c mod 2 ^ 32) * x.
Proof.
  intros x c Hx H; unfold alu32; rewrite (mod_small_word 32 x Hx).
  apply alu_mul_const_exact; auto.
  apply Z.mod_pos_bound; lia.
Qed.

(* The machine masks the shift amount of the low 32 bits of src; the
   checker masks the constant itself (y & 31): the same amount. *)
Lemma shamt32_low : forall k, shamt 32 (k mod 2 ^ 32) = shamt 32 k.
Proof.
  intros k; unfold shamt; change (32 - 1) with (2 ^ 5 - 1).
  rewrite !mask_is_mod by lia.
  symmetry; apply Znumtheory.Zmod_div_mod; try lia.
  exists (2 ^ 27); reflexivity.
Qed.

(* alu.c:alu_lsh: LSH by a constant k keeps 2^(k & 31) * x. *)
Theorem alu32_lsh_const_exact : forall x k,
  word 32 x -> 2 ^ shamt 32 k * x <= wmax 32 ->
  alu32 LSH x k = 2 ^ shamt 32 k * x.
Proof.
  intros x k Hx H; unfold alu32; rewrite (mod_small_word 32 x Hx).
  rewrite <- (shamt32_low k) in *; apply alu_lsh_const_exact; auto.
Qed.

(* alu.c:alu_rsh: r = fresh(M >> k) for any dst; for an exact dst x also
   x - 2^k*r >= 0 and 2^k*r + 2^k - 1 - x >= 0; for k = 0 the result is x. *)
Theorem alu32_rsh_const_schema : forall x k,
  let r := alu32 RSH x k in
  let p := 2 ^ shamt 32 k in
  0 <= r <= Z.shiftr (wmax 32) (shamt 32 k) /\
  (word 32 x -> 0 <= x - p * r /\ 0 <= p * r + p - 1 - x).
Proof.
  intros x k r p; subst r p; unfold alu32.
  pose proof (alu_rsh_const_schema 32 (x mod 2 ^ 32) (k mod 2 ^ 32) ltac:(lia)
                (low_word x)) as H; cbv zeta in H; rewrite shamt32_low in H.
  destruct H as [R S]; split; [exact R|]; intros Hx.
  rewrite (mod_small_word 32 x Hx) in S |- *; exact S.
Qed.

(* alu.c:alu_div (floor_div): unsigned DIV by a constant whose low 32 bits
   c are >= 1: r = fresh(M / c) for any dst; for an exact dst x also
   x - c*r >= 0 and c*r + c - 1 - x >= 0. *)
Theorem alu32_div_const_schema : forall x y,
  let c := y mod 2 ^ 32 in
  let r := alu32 DIV x y in
  1 <= c ->
  0 <= r <= wmax 32 / c /\
  (word 32 x -> 0 <= x - c * r /\ 0 <= c * r + c - 1 - x).
Proof.
  intros x y c r Hc; subst r; unfold alu32.
  pose proof (alu_div_const_schema 32 (x mod 2 ^ 32) c ltac:(lia)
                (low_word x) Hc) as H; cbv zeta in H.
  destruct H as [R S]; split; [exact R|]; intros Hx.
  rewrite (mod_small_word 32 x Hx) in S |- *; exact S.
Qed.

Theorem alu32_rsh_by_zero : forall x k,
  word 32 x -> shamt 32 k = 0 -> alu32 RSH x k = x.
Proof.
  intros x k Hx H; unfold alu32; rewrite alu_rsh_by_zero;
    [apply mod_small_word; auto | rewrite shamt32_low; auto].
Qed.

(* alu.c:alu_and: r = fresh(c mod 2^32) for any operand; for an exact x,
   also x - r >= 0. Either operand may be the constant. *)
Theorem alu32_and_const_schema : forall x c,
  0 <= alu32 AND x c <= c mod 2 ^ 32 /\
  (word 32 x -> alu32 AND x c <= x) /\ alu32 AND c x = alu32 AND x c.
Proof.
  intros x c; unfold alu32.
  destruct (low_word x), (low_word c).
  destruct (alu_and_const_schema 32 (x mod 2 ^ 32) (c mod 2 ^ 32)) as [A [B C]];
    auto.
  split; [exact A|]; split; [|exact C].
  intros Hx; rewrite (mod_small_word 32 x Hx) in B |- *; exact B.
Qed.

(* alu.c:alu_div: a constant divisor whose low 32 bits are 0
   (k->constant & a->max = 0) gives 0, for DIV and SDIV. *)
Theorem alu32_div_by_zero : forall x y,
  y mod 2 ^ 32 = 0 -> alu32 DIV x y = 0 /\ alu32 SDIV x y = 0.
Proof. intros x y H; unfold alu32; rewrite H; apply alu_div_by_zero; lia. Qed.

(* alu.c:alu_mod: such a divisor leaves dst truncated to 32 bits (MOD and
   SMOD): the operand's exact form when alu32_operand certified it. *)
Theorem alu32_mod_by_zero : forall x y,
  y mod 2 ^ 32 = 0 ->
  alu32 MOD x y = x mod 2 ^ 32 /\ alu32 SMOD x y = x mod 2 ^ 32.
Proof. intros x y H; unfold alu32; rewrite H; apply alu_mod_by_zero; lia. Qed.

(* alu.c:alu_mod: unsigned MOD by a constant with c = y mod 2^32 <> 0
   gives fresh(c - 1). *)
Theorem alu32_mod_const : forall x y,
  y mod 2 ^ 32 <> 0 -> 0 <= alu32 MOD x y <= y mod 2 ^ 32 - 1.
Proof.
  intros x y H; unfold alu32; destruct (low_word x), (low_word y).
  apply alu_mod_const; lia.
Qed.

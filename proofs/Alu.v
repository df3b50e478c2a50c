(* Alu.v - the axiom schemas of the scalar ALU rules (vep-ebpf/src/alu.c,
   docs/proof-format.md section 7.1), for n-bit words; n = 64 is ALU64,
   Alu32.v instantiates n = 32. "M" is wmax n = 2^n - 1. *)

Require Import ZArith Lia List.
Require Import VEP.Machine VEP.Bytes.
Open Scope Z_scope.

(* ---- bit-operation bounds -------------------------------------------------- *)
Lemma word_of_log2 : forall n v, 0 < n -> 0 <= v -> Z.log2 v < n -> word n v.
Proof.
  intros n v Hn H0 H; split; auto.
  destruct (Z.eq_dec v 0) as [->|]; [apply pow2_pos; lia|].
  apply Z.log2_lt_pow2; lia.
Qed.

Lemma log2_word : forall n x, 0 < n -> word n x -> Z.log2 x < n.
Proof.
  intros n x Hn [H0 H1]; destruct (Z.eq_dec x 0) as [->|]; [simpl; lia|].
  apply Z.log2_lt_pow2; lia.
Qed.

Lemma land_le_l : forall x c, 0 <= x -> Z.land x c <= x.
Proof.
  intros x c Hx.
  assert (D : Z.ldiff (Z.land x c) x = 0).
  { apply Z.bits_inj'; intros i _.
    rewrite Z.ldiff_spec, Z.land_spec, Z.bits_0.
    destruct (Z.testbit x i), (Z.testbit c i); reflexivity. }
  pose proof (Z.sub_nocarry_ldiff x (Z.land x c) D) as E.
  assert (0 <= Z.ldiff x (Z.land x c)) by (apply Z.ldiff_nonneg; auto).
  lia.
Qed.

(* ---- every result is a word: fresh(M) ---------------------------------------- *)
(* alu.c: fresh(a) = vep_fresh(c, M) (rules alu_fresh, alu_div, alu_mod,
   MOVSX in alu_mov, and every fallback of exact_or_fresh): the result of
   any ALU operation on words is in [0, M]. *)
Theorem alu_result_word : forall n op x y,
  (n = 32 \/ n = 64) -> word n x -> word n y -> word n (alu_op n op x y).
Proof.
  intros n op x y Hn Hx Hy.
  assert (Hn0 : 0 < n) by lia.
  assert (W0 : word n 0) by (split; [lia | apply pow2_pos; lia]).
  unfold word in *.
  destruct op; cbn [alu_op]; try (apply mod_word; lia).
  - (* DIV *) destruct (Z.eqb_spec y 0); auto.
    split; [apply Z.div_pos | apply (Z.le_lt_trans _ x)]; try lia.
    apply Z.div_le_upper_bound; nia.
  - (* SDIV *) destruct (signed n y =? 0); auto; apply mod_word; lia.
  - (* OR *) apply word_of_log2; auto; [apply Z.lor_nonneg; lia|].
    rewrite Z.log2_lor by lia.
    apply Z.max_lub_lt; apply log2_word; auto.
  - (* AND *) split; [apply Z.land_nonneg; lia|].
    pose proof (land_le_l x y); lia.
  - (* RSH *) rewrite Z.shiftr_div_pow2 by (apply shamt_range; auto).
    pose proof (pow2_pos (shamt n y) (proj1 (shamt_range n y Hn))).
    split; [apply Z.div_pos | apply (Z.le_lt_trans _ x)]; try lia.
    apply Z.div_le_upper_bound; nia.
  - (* MOD *) destruct (Z.eqb_spec y 0); auto.
    pose proof (Z.mod_pos_bound x y); lia.
  - (* SMOD *) destruct (signed n y =? 0); auto; apply mod_word; lia.
  - (* XOR *) apply word_of_log2; auto; [apply Z.lxor_nonneg; lia|].
    eapply Z.le_lt_trans; [apply Z.log2_lxor; lia|].
    apply Z.max_lub_lt; apply log2_word; auto.
  - (* MOV *) auto.
Qed.

(* END: every byte swap / truncation to w bits gives a word of w bits
   (alu.c:alu_end, fresh(2^imm - 1), and fresh(2^64 - 1) for imm = 64). *)
Theorem alu_end_word : forall e w x,
  (w = 16 \/ w = 32 \/ w = 64) -> word w (end_op e w x).
Proof.
  intros e w x Hw; destruct e; cbn [end_op].
  - apply mod_word; lia.
  - apply bswap_word; auto.
  - apply bswap_word; auto.
Qed.

(* alu.c:alu_end: ALU-class to-little-endian of 64 bits is the identity. *)
Theorem alu_end_le64 : forall x, word 64 x -> end_op TO_LE 64 x = x.
Proof. intros x H; apply mod_small_word; auto. Qed.

(* ---- exact results (alu_exact) ---------------------------------------------- *)
(* alu.c:alu_mov: MOV keeps the source exactly. *)
Theorem alu_mov_exact : forall n x y, alu_op n MOV x y = y.
Proof. reflexivity. Qed.

(* alu.c:alu_add_sub (register source): x + y is kept when NO_WRAP_HIGH
   certifies x + y <= M (no NO_WRAP_LOW: words are >= 0). *)
Theorem alu_add_exact : forall n x y,
  word n x -> word n y -> x + y <= wmax n -> alu_op n ADD x y = x + y.
Proof.
  intros n x y Hx Hy H; unfold word, wmax in *; cbn [alu_op].
  apply Z.mod_small; lia.
Qed.

(* alu.c:alu_add_sub (register source): x - y is kept when NO_WRAP_LOW
   certifies x - y >= 0 (no NO_WRAP_HIGH: x - y <= x <= M). *)
Theorem alu_sub_exact : forall n x y,
  word n x -> word n y -> 0 <= x - y -> alu_op n SUB x y = x - y.
Proof.
  intros n x y Hx Hy H; unfold word in *; cbn [alu_op].
  apply Z.mod_small; lia.
Qed.

(* alu.c:alu_add_sub (immediate): the machine adds the immediate operand,
   which is k mod 2^n (ALU64: sext_imm, ALU32: uimm; Machine.sext_imm_mod).
   The checker keeps x + k for the SIGNED k, asking NO_WRAP_LOW only when
   k < 0 and NO_WRAP_HIGH only when k > 0. *)
Theorem alu_add_imm_exact : forall n x k,
  0 <= n -> word n x ->
  (k < 0 -> 0 <= x + k) -> (0 < k -> x + k <= wmax n) ->
  alu_op n ADD x (k mod 2 ^ n) = x + k.
Proof.
  intros n x k Hn Hx Hlo Hhi; unfold word, wmax in *; cbn [alu_op].
  rewrite Zplus_mod_idemp_r; apply Z.mod_small; lia.
Qed.

(* ... and SUB of an immediate imm is the ADD of k = -imm ("+= -5
   subtracts", sub by imm adds -imm). *)
Theorem alu_sub_imm_is_add : forall n x imm,
  alu_op n SUB x (imm mod 2 ^ n) = alu_op n ADD x ((- imm) mod 2 ^ n).
Proof.
  intros n x imm; cbn [alu_op].
  rewrite Zminus_mod_idemp_r, Zplus_mod_idemp_r; f_equal; ring.
Qed.

(* alu.c:alu_mul: MUL by a constant c (either side; c taken mod 2^n, which
   is the word the machine uses) keeps c * x when NO_WRAP_HIGH certifies
   c * x <= M. *)
Theorem alu_mul_const_exact : forall n x c,
  word n x -> 0 <= c -> c * x <= wmax n ->
  alu_op n MUL x c = c * x /\ alu_op n MUL c x = c * x.
Proof.
  intros n x c Hx Hc H; unfold word, wmax in *; cbn [alu_op].
  rewrite (Z.mul_comm x c); split; apply Z.mod_small; nia.
Qed.

(* alu.c:alu_lsh: LSH by a constant k (masked: k & 63, k & 31 = shamt)
   keeps 2^k * x when NO_WRAP_HIGH certifies 2^k * x <= M. *)
Theorem alu_lsh_const_exact : forall n x k,
  (n = 32 \/ n = 64) -> word n x -> 2 ^ shamt n k * x <= wmax n ->
  alu_op n LSH x k = 2 ^ shamt n k * x.
Proof.
  intros n x k Hn Hx H; unfold word, wmax in *; cbn [alu_op].
  pose proof (shamt_range n k Hn).
  pose proof (pow2_pos (shamt n k) ltac:(lia)).
  rewrite Z.shiftl_mul_pow2, Z.mul_comm by lia; apply Z.mod_small; nia.
Qed.

(* ... and no question when the masked amount is 0: 2^0 * x = x <= M. *)
Theorem alu_lsh_by_zero : forall n x k,
  word n x -> shamt n k = 0 -> alu_op n LSH x k = x.
Proof.
  intros n x k Hx H; cbn [alu_op]; rewrite H, Z.shiftl_0_r.
  apply mod_small_word; auto.
Qed.

(* ---- schemas of fresh results ----------------------------------------------- *)
(* alu.c:alu_rsh: r = x >> k (k masked, k > 0): r = fresh(M >> k) and, for
   an exact x, x - 2^k*r >= 0 and 2^k*r + 2^k - 1 - x >= 0. *)
Theorem alu_rsh_const_schema : forall n x k,
  (n = 32 \/ n = 64) -> word n x ->
  let r := alu_op n RSH x k in
  let p := 2 ^ shamt n k in
  0 <= r <= Z.shiftr (wmax n) (shamt n k) /\
  0 <= x - p * r /\ 0 <= p * r + p - 1 - x.
Proof.
  intros n x k Hn Hx r p; subst r p; unfold word, wmax in *; cbn [alu_op].
  pose proof (shamt_range n k Hn).
  pose proof (pow2_pos (shamt n k) ltac:(lia)).
  rewrite !Z.shiftr_div_pow2 by lia.
  pose proof (Z.div_le_mono x (2 ^ n - 1) (2 ^ shamt n k) ltac:(lia) ltac:(lia)).
  pose proof (Z.div_pos x (2 ^ shamt n k) ltac:(lia) ltac:(lia)).
  pose proof (Z.mod_pos_bound x (2 ^ shamt n k) ltac:(lia)).
  pose proof (Z.div_mod x (2 ^ shamt n k) ltac:(lia)).
  lia.
Qed.

(* alu.c:alu_rsh: a shift by 0 of an exact operand is the operand. *)
Theorem alu_rsh_by_zero : forall n x k,
  shamt n k = 0 -> alu_op n RSH x k = x.
Proof. intros n x k H; cbn [alu_op]; rewrite H; apply Z.shiftr_0_r. Qed.

(* alu.c:alu_and: r = x & c (constant c either side): r = fresh(c) and,
   for an exact x, x - r >= 0. *)
Theorem alu_and_const_schema : forall n x c,
  0 <= x -> 0 <= c ->
  0 <= alu_op n AND x c <= c /\ alu_op n AND x c <= x /\
  alu_op n AND c x = alu_op n AND x c.
Proof.
  intros n x c Hx Hc; cbn [alu_op].
  pose proof (land_le_l x c Hx); pose proof (land_le_l c x Hc).
  pose proof (proj2 (Z.land_nonneg x c) (or_introl Hx)).
  rewrite (Z.land_comm c x) in *; lia.
Qed.

(* alu.c:alu_div (floor_div): unsigned DIV by a constant c >= 1:
   r = fresh(M / c) and, for an exact x, x - c*r >= 0 and
   c*r + c - 1 - x >= 0 (alu_rsh is the case c = 2^k, above). *)
Theorem alu_div_const_schema : forall n x c,
  (n = 32 \/ n = 64) -> word n x -> 1 <= c ->
  let r := alu_op n DIV x c in
  0 <= r <= wmax n / c /\ 0 <= x - c * r /\ 0 <= c * r + c - 1 - x.
Proof.
  intros n x c Hn Hx Hc r; subst r; unfold word, wmax in *; cbn [alu_op].
  rewrite (proj2 (Z.eqb_neq c 0)) by lia.
  pose proof (Z.div_le_mono x (2 ^ n - 1) c ltac:(lia) ltac:(lia)).
  pose proof (Z.div_pos x c ltac:(lia) ltac:(lia)).
  pose proof (Z.mod_pos_bound x c ltac:(lia)).
  pose proof (Z.div_mod x c ltac:(lia)).
  lia.
Qed.

(* alu.c:alu_div: division by the constant 0 gives 0 (DIV and SDIV). *)
Theorem alu_div_by_zero : forall n x,
  0 < n -> alu_op n DIV x 0 = 0 /\ alu_op n SDIV x 0 = 0.
Proof. intros n x Hn; cbn [alu_op]; rewrite signed_zero; auto. Qed.

(* alu.c:alu_mod: modulo by the constant 0 leaves dst (MOD and SMOD). *)
Theorem alu_mod_by_zero : forall n x,
  0 < n -> alu_op n MOD x 0 = x /\ alu_op n SMOD x 0 = x.
Proof. intros n x Hn; cbn [alu_op]; rewrite signed_zero; auto. Qed.

(* alu.c:alu_mod: unsigned MOD by a constant c <> 0 gives fresh(c - 1). *)
Theorem alu_mod_const : forall n x c,
  0 <= x -> 0 < c -> 0 <= alu_op n MOD x c <= c - 1.
Proof.
  intros n x c Hx Hc; cbn [alu_op].
  rewrite (proj2 (Z.eqb_neq c 0)) by lia.
  pose proof (Z.mod_pos_bound x c Hc); lia.
Qed.

(* ---- identities used by the constant folder (rule alu_const) ------------- *)
(* "k->constant & a->max", "& VEP_U32_MAX", "x & ((1 << w) - 1)": masking
   with 2^n - 1 is reduction modulo 2^n. *)
Lemma mask_is_mod : forall c n, 0 <= n -> Z.land c (2 ^ n - 1) = c mod 2 ^ n.
Proof.
  intros c n Hn; replace (2 ^ n - 1) with (Z.ones n)
    by (rewrite Z.ones_equiv; lia).
  apply Z.land_ones; auto.
Qed.

(* alu_eval computes ALU32 operations in uint64_t and masks to 32 bits. *)
Lemma mod64_mod32 : forall a, (a mod 2 ^ 64) mod 2 ^ 32 = a mod 2 ^ 32.
Proof. intros a; Z.div_mod_to_equations; nia. Qed.

(* alu.c:sdiv: for a divisor reading -1 the C code returns "0 - a" for SDIV
   (so INT_MIN / -1 = INT_MIN) and 0 for SMOD, avoiding C's overflow. *)
Lemma sdiv_minus_one : forall n x y,
  0 < n -> signed n y = -1 ->
  alu_op n SDIV x y = (0 - signed n x) mod 2 ^ n /\ alu_op n SMOD x y = 0.
Proof.
  intros n x y Hn H; cbn [alu_op]; rewrite H; cbn.
  replace (-1) with (- (1)) by reflexivity.
  rewrite Z.quot_opp_r, Z.quot_1_r, Z.rem_opp_r, Z.rem_1_r by lia.
  split; [f_equal; ring | apply Z.mod_0_l; pose proof (pow2_pos n); lia].
Qed.

(* Compare.v - rules jmp_cond, jmp_ptr_cmp, jmp_ne, jmp_signed and jmp32
   (vep-ebpf/src/jump.c, docs/proof-format.md 7.5): the facts the checker
   adds to each branch of a comparison hold. *)

Require Import ZArith Lia List Bool.
Require Import VEP.Machine.
Import ListNotations.
Open Scope Z_scope.

(* jump.c:cmp_rules, transcribed: a side is a sign (EQ = 2: both x - y >= 0
   and y - x >= 0; NONE = 0: no fact; NE = 3: the facts of rule jmp_ne,
   jmp_ne_sound below; 1 or -1: the fact sign*(x - y) + k >= 0) and a
   constant k. The signed jumps' rows are their unsigned twins' (r_op is
   the twin; jcmp_signed reads the operands as signed numbers). *)
Definition EQ := 2.
Definition NONE := 0.
Definition NE := 3.

Record cmp_rule := { r_op : cmpop; taken : Z; taken_k : Z; fall : Z; fall_k : Z }.

Definition cmp_rules : list cmp_rule := [
  {| r_op := JEQ; taken := EQ; taken_k := 0;  fall := NE; fall_k := 0 |};
  {| r_op := JNE; taken := NE; taken_k := 0;   fall := EQ; fall_k := 0 |};
  {| r_op := JGT; taken := 1;  taken_k := -1; fall := -1; fall_k := 0 |};
  {| r_op := JGE; taken := 1;  taken_k := 0;  fall := -1; fall_k := -1 |};
  {| r_op := JLT; taken := -1; taken_k := -1; fall := 1;  fall_k := 0 |};
  {| r_op := JLE; taken := -1; taken_k := 0;  fall := 1;  fall_k := -1 |} ].

(* jump.c:side_facts without side conditions (EQ, unsigned): the values of
   the facts' forms s*x - s*y + k, for s = 1 then s = -1 (x: the
   destination's compared value, y: the source's). *)
Definition side_facts (sign k x y : Z) : list Z :=
  flat_map (fun s => if (sign =? EQ) || (sign =? s)
                     then [s * x + (- s) * y + (if sign =? EQ then 0 else k)]
                     else []) [1; -1].

(* The facts added on the branch the machine takes. *)
Definition branch_facts (r : cmp_rule) (taken_branch : bool) (x y : Z) : list Z :=
  if taken_branch then side_facts (taken r) (taken_k r) x y
  else side_facts (fall r) (fall_k r) x y.

(* jmp_cond, generic form: if the machine compares mx and my, which differ
   as the compared values x and y do (mx - my = x - y), every fact of the
   branch taken holds. *)
Theorem cmp_facts_sound : forall r x y mx my,
  In r cmp_rules -> mx - my = x - y ->
  Forall (fun f => 0 <= f) (branch_facts r (jcmp (r_op r) mx my) x y).
Proof.
  intros r x y mx my Hr D.
  repeat (destruct Hr as [<- | Hr]; [|]); try contradiction.
  all: unfold branch_facts, jcmp, side_facts; cbn -[Z.mul].
  all: repeat match goal with
    | |- context [?a =? ?b] => destruct (Z.eqb_spec a b)
    | |- context [?a <? ?b] => destruct (Z.ltb_spec a b)
    | |- context [?a <=? ?b] => destruct (Z.leb_spec a b)
    end; cbn -[Z.mul].
  all: repeat constructor; lia.
Qed.

(* jump.c:cmp_facts, two scalars: a scalar's form is its unsigned 64-bit
   value, and JMP compares the unsigned values (an immediate is
   sign-extended: its form is sext_imm imm = imm mod 2^64, Machine). *)
Theorem jmp_cond_scalars : forall r x y,
  In r cmp_rules ->
  Forall (fun f => 0 <= f) (branch_facts r (jcmp (r_op r) x y) x y).
Proof. intros; apply cmp_facts_sound; auto. Qed.

(* jump.c:ptr_in_range + compared (rule jmp_ptr_cmp): a packet pointer
   (is_end: PACKET_END, base data + len; else PACKET, base data) whose
   offset o is certified in [-2^31, 2^31] (CMP_RANGE) has, under
   platform assumptions 2 and 3, the machine value data + eff exactly,
   with eff = len + o (PACKET_END) or o (PACKET). *)
Definition eff (is_end : bool) (len o : Z) : Z := if is_end then len + o else o.
Definition base (is_end : bool) (data len : Z) : Z :=
  if is_end then data + len else data.

Theorem ptr_cmp_value : forall data len is_end o m,
  platform_base data -> packet_len len ->
  0 <= o + 2 ^ 31 -> 0 <= 2 ^ 31 - o ->
  ptr_inv (base is_end data len) o m ->
  m = data + eff is_end len o.
Proof.
  unfold platform_base, packet_len, ptr_inv, base, eff.
  intros data len is_end o m [B1 B2] L Hlo Hhi ->.
  destruct is_end; [rewrite <- Z.add_assoc|]; apply Z.mod_small; lia.
Qed.

(* jmp_ptr_cmp: the facts added for two packet pointers, over eff(dst) and
   eff(src), hold. *)
Theorem jmp_ptr_cmp_sound : forall r data len d_end d_o d_m s_end s_o s_m,
  In r cmp_rules -> platform_base data -> packet_len len ->
  0 <= d_o + 2 ^ 31 -> 0 <= 2 ^ 31 - d_o ->
  0 <= s_o + 2 ^ 31 -> 0 <= 2 ^ 31 - s_o ->
  ptr_inv (base d_end data len) d_o d_m ->
  ptr_inv (base s_end data len) s_o s_m ->
  Forall (fun f => 0 <= f)
    (branch_facts r (jcmp (r_op r) d_m s_m) (eff d_end len d_o) (eff s_end len s_o)).
Proof.
  intros r data len d_end d_o d_m s_end s_o s_m Hr HB HL H1 H2 H3 H4 Hd Hs.
  apply cmp_facts_sound; auto.
  rewrite (ptr_cmp_value data len d_end d_o d_m),
          (ptr_cmp_value data len s_end s_o s_m) by auto.
  ring.
Qed.

(* ---- jmp_ne ------------------------------------------------------------- *)
(* The side marked NE is one on which the compared values differ. *)
Lemma ne_side_differs : forall r b x y,
  In r cmp_rules -> jcmp (r_op r) x y = b ->
  (if b then taken r else fall r) = NE -> x <> y.
Proof.
  intros r b x y Hr Hb.
  repeat (destruct Hr as [<- | Hr]; [|]); try contradiction.
  all: destruct b; cbn in *; unfold NE, EQ, NONE; try discriminate.
  all: intros _; try (apply Z.eqb_neq; assumption).
  all: destruct (Z.eqb_spec x y); cbn in Hb; congruence.
Qed.

(* jump.c:side_facts, NE: s*(x - y) >= 0 certified before the fork and
   x <> y give s*(x - y) - 1 >= 0 (s = 1, then s = -1). *)
Theorem jmp_ne_sound : forall s x y,
  (s = 1 \/ s = -1) -> x <> y -> 0 <= s * x + (- s) * y ->
  0 <= s * x + (- s) * y - 1.
Proof. intros s x y [-> | ->] D H; lia. Qed.

(* ---- jmp_signed ---------------------------------------------------------- *)
(* A signed jump is taken on the signed readings of the n-bit words. *)
Definition jcmp_signed (op : cmpop) (n mx my : Z) : bool :=
  jcmp op (signed n mx) (signed n my).

(* jump.c:side_facts with half = 2^(n-1): the side's greater and lesser
   operand (sign 1: x is the greater; -1: y). *)
Definition greater (sign x y : Z) : Z := if sign =? 1 then x else y.
Definition lesser (sign x y : Z) : Z := if sign =? 1 then y else x.

Lemma signed_small : forall n x, 1 <= n -> 0 <= x < 2 ^ (n - 1) ->
  signed n x = x.
Proof.
  intros n x Hn H; unfold signed.
  rewrite (proj2 (Z.ltb_lt _ _)) by lia; reflexivity.
Qed.

Lemma signed_bounds : forall n x, 1 <= n -> word n x ->
  (signed n x = x /\ x < 2 ^ (n - 1)) \/
  (signed n x = x - 2 ^ n /\ 2 ^ (n - 1) <= x).
Proof.
  intros n x Hn W; unfold signed.
  destruct (Z.ltb_spec x (2 ^ (n - 1))); [left | right]; split; auto.
Qed.

(* If the lesser operand is certified below 2^(n-1), the side's two facts
   hold: its order over the values, and the greater below 2^(n-1). *)
Theorem jmp_signed_sound : forall r n x y,
  In r cmp_rules -> 1 <= n -> word n x -> word n y ->
  let b := jcmp_signed (r_op r) n x y in
  let sign := if b then taken r else fall r in
  let k := if b then taken_k r else fall_k r in
  (sign = 1 \/ sign = -1) ->
  lesser sign x y <= 2 ^ (n - 1) - 1 ->
  0 <= sign * x + (- sign) * y + k /\
  0 <= 2 ^ (n - 1) - 1 - greater sign x y.
Proof.
  intros r n x y Hr Hn Wx Wy b sign k Hs Hl.
  assert (P : 2 ^ n = 2 * 2 ^ (n - 1)).
  { rewrite <- Z.pow_succ_r by lia; f_equal; lia. }
  unfold word in Wx, Wy.
  destruct (signed_bounds n x Hn) as [[Ex Bx] | [Ex Bx]]; [unfold word; lia | |];
  destruct (signed_bounds n y Hn) as [[Ey By] | [Ey By]]; try (unfold word; lia);
  subst b sign k; unfold jcmp_signed in *; rewrite Ex, Ey in *;
  repeat (destruct Hr as [<- | Hr]; [|]); try contradiction;
  unfold jcmp, greater, lesser in *; cbn -[Z.mul Z.pow] in *;
  repeat match goal with
    | H : context [?a <? ?c] |- _ => destruct (Z.ltb_spec a c)
    | H : context [?a <=? ?c] |- _ => destruct (Z.leb_spec a c)
    | H : context [?a =? ?c] |- _ => destruct (Z.eqb_spec a c)
    end; cbn -[Z.mul Z.pow] in *; unfold EQ, NE, NONE in *;
  try (destruct Hs; discriminate); lia.
Qed.

(* ---- jmp32 --------------------------------------------------------------- *)
(* JMP32 compares the low 32 bits of its operands (an immediate: its 32
   bits). Operands certified below 2^32 are their own low 32 bits, so the
   unsigned, equality and disequality rows, and jmp_signed with n = 32,
   apply to the values themselves. *)
Lemma low32_self : forall x, 0 <= x <= 2 ^ 32 - 1 -> x mod 2 ^ 32 = x.
Proof. intros; apply Z.mod_small; lia. Qed.

Theorem jmp32_unsigned_sound : forall r x y,
  In r cmp_rules -> 0 <= x <= 2 ^ 32 - 1 -> 0 <= y <= 2 ^ 32 - 1 ->
  Forall (fun f => 0 <= f)
    (branch_facts r (jcmp (r_op r) (x mod 2 ^ 32) (y mod 2 ^ 32)) x y).
Proof.
  intros r x y Hr Hx Hy; rewrite !low32_self by auto.
  apply cmp_facts_sound; auto.
Qed.

Theorem jmp32_signed_sound : forall r x y,
  In r cmp_rules -> 0 <= x <= 2 ^ 32 - 1 -> 0 <= y <= 2 ^ 32 - 1 ->
  let b := jcmp_signed (r_op r) 32 (x mod 2 ^ 32) (y mod 2 ^ 32) in
  let sign := if b then taken r else fall r in
  let k := if b then taken_k r else fall_k r in
  (sign = 1 \/ sign = -1) ->
  lesser sign x y <= 2 ^ 31 - 1 ->
  0 <= sign * x + (- sign) * y + k /\ 0 <= 2 ^ 31 - 1 - greater sign x y.
Proof.
  intros r x y Hr Hx Hy; rewrite !low32_self by auto; cbn zeta.
  apply (jmp_signed_sound r 32 x y Hr); unfold word; lia.
Qed.

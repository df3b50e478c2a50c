(* Compare.v - rules jmp_cond and jmp_ptr_cmp (vep-ebpf/src/jump.c,
   docs/proof-format.md 7.5): the facts the checker adds to each branch of
   a 64-bit unsigned or equality comparison hold. *)

Require Import ZArith Lia List Bool.
Require Import VEP.Machine.
Import ListNotations.
Open Scope Z_scope.

(* jump.c:cmp_rules, transcribed: a side is a sign (EQ = 2: both x - y >= 0
   and y - x >= 0; NONE = 0: no fact; 1 or -1: the fact sign*(x - y) + k
   >= 0) and a constant k. *)
Definition EQ := 2.
Definition NONE := 0.

Record cmp_rule := { r_op : cmpop; taken : Z; taken_k : Z; fall : Z; fall_k : Z }.

Definition cmp_rules : list cmp_rule := [
  {| r_op := JEQ; taken := EQ; taken_k := 0;  fall := NONE; fall_k := 0 |};
  {| r_op := JNE; taken := NONE; taken_k := 0; fall := EQ; fall_k := 0 |};
  {| r_op := JGT; taken := 1;  taken_k := -1; fall := -1; fall_k := 0 |};
  {| r_op := JGE; taken := 1;  taken_k := 0;  fall := -1; fall_k := -1 |};
  {| r_op := JLT; taken := -1; taken_k := -1; fall := 1;  fall_k := 0 |};
  {| r_op := JLE; taken := -1; taken_k := 0;  fall := 1;  fall_k := -1 |} ].

(* jump.c:side_facts: the values of the facts' forms s*x - s*y + k, for
   s = -1 then s = 1 (x: the destination's compared value, y: the
   source's). *)
Definition side_facts (sign k x y : Z) : list Z :=
  flat_map (fun s => if (sign =? EQ) || (sign =? s)
                     then [s * x + (- s) * y + (if sign =? EQ then 0 else k)]
                     else []) [-1; 1].

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
   offset o is certified in [-2^31, 2^31] (PTR_CMP_RANGE) has, under
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

(* CutPoints.v - the termination argument of the cut-point rules
   (vep-ebpf/include/vep/check.h, "Cut points"; the rules RANK_NONNEG and
   RANK_DECREASE): a path ends at the first cut point it reaches; a
   backward jump (target at or before the jump) may only arrive at the cut
   point its path started from, with rank(end) >= 0 and
   rank(end) <= rank(start) - 1; every other move goes forward. Then no run
   is infinite.

   A run is modelled by the instruction pc i it executes at step i and the
   value rank i of the ranking term in the state at step i (looked at only
   at cut-point visits). An infinite run is such a sequence defined for
   every i; the theorem says none satisfies the rules. *)

Require Import ZArith Lia Arith.
Open Scope Z_scope.

(* ---- a lexicographic measure on nat triples cannot decrease forever ---- *)
Definition lt3 (x y : nat * nat * nat) : Prop :=
  let '(a, r, p) := x in
  let '(a', r', p') := y in
  (a < a')%nat \/ (a = a' /\ ((r < r')%nat \/ (r = r' /\ (p < p')%nat))).

Lemma lt3_no_descent : forall f : nat -> nat * nat * nat,
  (forall i, lt3 (f (S i)) (f i)) -> False.
Proof.
  intros f H.
  assert (K : forall a r p i, f i = (a, r, p) -> False).
  { intros a; induction a as [a IHa] using lt_wf_ind.
    intros r; induction r as [r IHr] using lt_wf_ind.
    intros p; induction p as [p IHp] using lt_wf_ind.
    intros i E; specialize (H i); rewrite E in H.
    destruct (f (S i)) as [[a' r'] p'] eqn:E'; simpl in H.
    destruct H as [Ha | [-> [Hr | [-> Hp]]]]; eauto. }
  destruct (f 0%nat) as [[a r] p] eqn:E; eauto.
Qed.

Section Run.

Variable N : nat.             (* number of instructions *)
Variable cut : nat -> bool.   (* is instruction k a cut point? *)
Variable pc : nat -> nat.     (* instruction executed at step i *)
Variable rank : nat -> Z.     (* ranking term's value in the state at step i *)

(* The step at which the current path started: the latest step j <= i at
   a cut point (None: the path started at the program entry, which is never
   a cut point). *)
Fixpoint last_cut (i : nat) : option nat :=
  match i with
  | O => if cut (pc O) then Some O else None
  | S i' => if cut (pc (S i')) then Some (S i') else last_cut i'
  end.

(* Every step stays in the program (structural pass: jump_target,
   fall_through). *)
Hypothesis in_program : forall i, (pc i < N)%nat.

(* Every step moves forward (ALU, memory, forward jumps, lddw), or is a
   backward jump to the cut point the current path started from, proving
   RANK_NONNEG there and RANK_DECREASE against the path's start. *)
Hypothesis step : forall i,
  (pc i < pc (S i))%nat \/
  exists j, last_cut i = Some j /\ pc (S i) = pc j /\
            0 <= rank (S i) /\ rank (S i) <= rank j - 1.

Lemma last_cut_is_cut : forall i j, last_cut i = Some j -> cut (pc j) = true.
Proof.
  induction i as [|i IH]; simpl; intros j E.
  - destruct (cut (pc 0%nat)) eqn:C; inversion E; subst; auto.
  - destruct (cut (pc (S i))) eqn:C; [inversion E; subst; auto | eauto].
Qed.

(* The instruction of the current path's start (-1 for the entry). *)
Definition start_pc (i : nat) : Z :=
  match last_cut i with Some j => Z.of_nat (pc j) | None => -1 end.

Definition start_rank (i : nat) : nat :=
  match last_cut i with Some j => Z.to_nat (rank j) | None => O end.

(* Along a path the instructions only increase from its start. *)
Lemma start_pc_le : forall i, start_pc i <= Z.of_nat (pc i).
Proof.
  unfold start_pc; induction i as [|i IH]; simpl.
  - destruct (cut (pc 0%nat)); lia.
  - destruct (cut (pc (S i))) eqn:C; [lia|].
    destruct (step i) as [F | [j [E [P _]]]]; [|].
    + destruct (last_cut i); lia.
    + apply last_cut_is_cut in E; rewrite <- P, C in E; discriminate.
Qed.

(* The measure (instructions after the path's start, the start's rank,
   instructions left) decreases lexicographically at every step. *)
Definition measure (i : nat) : nat * nat * nat :=
  (Z.to_nat (Z.of_nat N - start_pc i), start_rank i, (N - pc i)%nat).

Lemma measure_decreases : forall i, lt3 (measure (S i)) (measure i).
Proof.
  intros i; unfold measure, start_rank; simpl.
  pose proof (start_pc_le i) as L; pose proof (in_program i) as B0;
    pose proof (in_program (S i)) as B1.
  unfold start_pc in *; simpl.
  destruct (step i) as [F | [j [E [P [R0 R1]]]]].
  - destruct (cut (pc (S i))) eqn:C.
    + left; destruct (last_cut i); lia.
    + right; split; [reflexivity|]; right; split; [reflexivity | lia].
  - assert (C : cut (pc (S i)) = true)
      by (rewrite P; apply (last_cut_is_cut i); auto).
    rewrite C, E; right; split; [rewrite P; reflexivity|]; left; lia.
Qed.

(* Cut-point termination: no run is infinite. *)
Theorem no_infinite_run : False.
Proof. apply (lt3_no_descent measure), measure_decreases. Qed.

End Run.

(* Stated outside the section: for every program size, cut-point set,
   execution and ranking values, the rules exclude an infinite run. *)
Theorem cut_points_terminate : forall (N : nat) (cut : nat -> bool)
  (pc : nat -> nat) (rank : nat -> Z),
  (forall i, (pc i < N)%nat) ->
  ~ (forall i, (pc i < pc (S i))%nat \/
       exists j, last_cut cut pc i = Some j /\ pc (S i) = pc j /\
                 0 <= rank (S i) /\ rank (S i) <= rank j - 1).
Proof. intros N cut pc rank B S; exact (no_infinite_run N cut pc rank B S). Qed.
